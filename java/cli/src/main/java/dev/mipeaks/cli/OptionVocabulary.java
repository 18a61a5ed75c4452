package dev.mipeaks.cli;

/**
 * The one wording of options that several commands share (picocli annotations need compile-time constants, so the
 * shared labels and descriptions live here rather than in each command).
 */
final class OptionVocabulary {
    private OptionVocabulary() {
    }

    /** Default of {@code --device} on every command that runs a model or the MI engine. */
    static final String DEVICE_DEFAULT = "auto";

    /** Value label of a model command's {@code --device}. */
    static final String MODEL_DEVICE_LABEL = "auto|cpu|cuda[:N]|LIST";

    /** Description of a model command's {@code --device}. */
    static final String MODEL_DEVICE_DESCRIPTION = "Where to compute (default: ${DEFAULT-VALUE}). auto takes one GPU "
            + "when LibTorch sees one, or fills several in order when one is not enough, else the CPU (with one notice "
            + "line); cpu; cuda or cuda:N (needs the -Pcuda build); a list such as cuda:0,cuda:1 splits the layers over "
            + "the devices.";

    /** Description of {@code --limit} on every command that runs over a dataset. */
    static final String LIMIT_DESCRIPTION = "At most N problems (default: all). Not part of the run's configuration: "
            + "a larger limit resumes the same folder and adds the rest.";

    /** Description of the estimators' {@code --tol} (its default differs per estimator). */
    static final String TOL_DESCRIPTION = "Factorisation tolerance of hsic, nhsic and cka-rbf (default per estimator: "
            + "see 'mipeaks estimators').";

    /** The one name of the thinking-token table option (suppress, rr, ttts). */
    static final String THINKING_TOKENS = "--thinking-tokens";

    /** The one name of the "how many of the table's words" option (suppress, rr, ttts). */
    static final String TOP_WORDS = "--top-words";

    /**
     * The value of an option that was renamed: {@code oldValue} when the old (hidden) name was given, with one note
     * on {@code err}, else {@code value}. Giving both names is an error (exit 2).
     */
    static <T> T renamed(picocli.CommandLine.Model.CommandSpec spec, String name, T value, String oldName, T oldValue) {
        if (oldValue == null) {
            return value;
        }
        var parsed = spec.commandLine().getParseResult();
        if (parsed != null && parsed.hasMatchedOption(name)) {
            throw dev.mipeaks.MipeaksException.invalid(name + " and " + oldName + " (its old name) given together; "
                    + "give " + name + " only");
        }
        var err = spec.commandLine().getErr();
        err.println("mipeaks: note: " + oldName + " is now " + name + " (the old name still works)");
        err.flush();
        return oldValue;
    }
}
