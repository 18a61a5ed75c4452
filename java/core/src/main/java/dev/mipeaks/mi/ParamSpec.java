package dev.mipeaks.mi;

/**
 * A typed estimator parameter: name, kind (which parses and validates text), default and description.
 * Parameters reach an estimator through {@link EstimatorParams}, already parsed and validated.
 */
public record ParamSpec(String name, Kind kind, String defaultValue, String description) {

    public enum Kind {
        /** A finite double > 0. */
        POSITIVE_DOUBLE,
        /** A kernel width: a finite double > 0, or the word {@code median} (the reference heuristic). */
        SIGMA,
        /** An integer >= 1. */
        POSITIVE_INT;

        public Object parse(String param, String text) {
            String t = text.trim();
            switch (this) {
                case SIGMA:
                    if (t.equalsIgnoreCase("median")) {
                        return Sigma.MEDIAN;
                    }
                    return Sigma.fixed(parsePositive(param, t));
                case POSITIVE_DOUBLE:
                    return parsePositive(param, t);
                case POSITIVE_INT:
                    try {
                        int v = Integer.parseInt(t);
                        if (v >= 1) {
                            return v;
                        }
                    } catch (NumberFormatException ignored) {
                        // reported below
                    }
                    throw new IllegalArgumentException("parameter '" + param + "': expected an integer >= 1, got '" + text + "'");
                default:
                    throw new AssertionError(this);
            }
        }

        private static double parsePositive(String param, String t) {
            double v;
            try {
                v = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter '" + param + "': expected a positive number"
                        + (param.equals("sigma") ? " or 'median'" : "") + ", got '" + t + "'");
            }
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("parameter '" + param + "': must be finite and > 0, got '" + t + "'");
            }
            return v;
        }
    }
}
