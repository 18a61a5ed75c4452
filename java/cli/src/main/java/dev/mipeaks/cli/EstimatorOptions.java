package dev.mipeaks.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The MI estimator and its parameters (a picocli mixin of run and estimate): {@code --estimator} (default nhsic on
 * both), {@code --eps}, {@code --tol} and any {@code --param KEY=VALUE}; the estimators' own defaults apply to what
 * is not given. {@code --sigma} is declared by each command (run takes a list, estimate one width). Not final:
 * estimate's "Estimator:" option group extends it (picocli groups take no mixins).
 */
class EstimatorOptions {
    @Option(names = "--estimator", defaultValue = "nhsic", paramLabel = "NAME",
            description = "MI estimator (default: ${DEFAULT-VALUE}; see 'mipeaks estimators').")
    String name;

    @Option(names = "--eps", paramLabel = "EPS", description = "nhsic ridge eps (default 1e-5).")
    String eps;

    @Option(names = "--tol", paramLabel = "TOL", description = OptionVocabulary.TOL_DESCRIPTION)
    String tol;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Any other estimator parameter.")
    Map<String, String> params = new LinkedHashMap<>();

    /** The parameters as text: --param, then {@code sigma} (when not null), --eps and --tol over them. */
    Map<String, String> params(String sigma) {
        Map<String, String> p = new LinkedHashMap<>(params);
        if (sigma != null) {
            p.put("sigma", sigma);
        }
        if (eps != null) {
            p.put("eps", eps);
        }
        if (tol != null) {
            p.put("tol", tol);
        }
        return p;
    }
}
