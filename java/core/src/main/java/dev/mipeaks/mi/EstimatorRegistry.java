package dev.mipeaks.mi;

import dev.mipeaks.MipeaksException;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** All estimators found through {@link ServiceLoader}, by name. */
public final class EstimatorRegistry {
    private static volatile EstimatorRegistry defaultRegistry;

    private final Map<String, EstimatorProvider> providers;

    private EstimatorRegistry(Map<String, EstimatorProvider> providers) {
        this.providers = Collections.unmodifiableMap(providers);
    }

    public static EstimatorRegistry load() {
        EstimatorRegistry r = defaultRegistry;
        if (r == null) {
            Map<String, EstimatorProvider> m = new TreeMap<>();
            for (EstimatorProvider p : ServiceLoader.load(EstimatorProvider.class, EstimatorRegistry.class.getClassLoader())) {
                EstimatorProvider prev = m.putIfAbsent(p.name(), p);
                if (prev != null) {
                    throw new IllegalStateException("two estimators named '" + p.name() + "': "
                            + prev.getClass().getName() + " and " + p.getClass().getName());
                }
            }
            r = new EstimatorRegistry(m);
            defaultRegistry = r;
        }
        return r;
    }

    public Collection<EstimatorProvider> all() {
        return providers.values();
    }

    /** The provider named {@code name}; unknown names are invalid input listing the known ones. */
    public EstimatorProvider get(String name) {
        EstimatorProvider p = providers.get(name);
        if (p == null) {
            throw MipeaksException.invalid("unknown estimator '" + name + "' (known: "
                    + String.join(", ", providers.keySet()) + ")");
        }
        return p;
    }

    /** Creates estimator {@code name} with parameters given as text; bad parameters are invalid input. */
    public Estimator create(String name, Map<String, String> params) {
        EstimatorProvider p = get(name);
        try {
            return p.create(p.spec().parse(params));
        } catch (IllegalArgumentException e) {
            throw MipeaksException.invalid(e.getMessage(), e);
        }
    }
}
