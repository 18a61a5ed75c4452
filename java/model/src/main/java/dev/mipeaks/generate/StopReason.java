package dev.mipeaks.generate;

/** Why a sequence stopped; the step that triggered the stop is kept in the output. */
public enum StopReason {
    /** the last token is one of the eos ids */
    EOS("eos"),
    /** the decoded text now contains one of the stop strings */
    STOP_STRING("stop_string"),
    /** max new tokens reached */
    MAX_NEW_TOKENS("max_new_tokens");

    private final String label;

    StopReason(String label) {
        this.label = label;
    }

    /** The name written to trajectory metadata. */
    public String label() {
        return label;
    }
}
