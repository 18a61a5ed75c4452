package dev.mipeaks.mi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsed, validated parameter values for one estimator: every declared parameter has a value (given or default). */
public final class EstimatorParams {
    private final Map<String, Object> values;

    private EstimatorParams(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Parses {@code given} (name to text) against {@code specs}; unknown names and bad values are
     * {@link IllegalArgumentException}s whose message names the estimator and parameter.
     */
    public static EstimatorParams parse(String estimator, List<ParamSpec> specs, Map<String, String> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : given.keySet()) {
            if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                String known = specs.isEmpty() ? "none" : String.join(", ", specs.stream().map(ParamSpec::name).toList());
                throw new IllegalArgumentException("estimator '" + estimator + "' has no parameter '" + name
                        + "' (its parameters: " + known + ")");
            }
        }
        for (ParamSpec s : specs) {
            String text = given.getOrDefault(s.name(), s.defaultValue());
            try {
                out.put(s.name(), s.kind().parse(s.name(), text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("estimator '" + estimator + "': " + e.getMessage(), e);
            }
        }
        return new EstimatorParams(Collections.unmodifiableMap(out));
    }

    public double getDouble(String name) {
        return (Double) require(name);
    }

    public int getInt(String name) {
        return (Integer) require(name);
    }

    public Sigma getSigma(String name) {
        return (Sigma) require(name);
    }

    public Map<String, Object> values() {
        return values;
    }

    /** The values as an estimator reports them ({@link Estimator#parameters()}): in declared order, a sigma as its JSON form. */
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((name, value) -> out.put(name, value instanceof Sigma s ? s.json() : value));
        return Collections.unmodifiableMap(out);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("parameter '" + name + "' not declared");
        }
        return v;
    }
}
