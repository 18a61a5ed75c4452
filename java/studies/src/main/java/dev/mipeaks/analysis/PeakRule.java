package dev.mipeaks.analysis;

/** Which steps count as MI peaks. */
public enum PeakRule {
    /** The paper's outlier rule: MI > Q3 + 1.5 IQR of the same trajectory. */
    IQR("iqr"),
    /** The k largest MI values (the paper's code uses k = 20). */
    TOPK("topk");

    private final String key;

    PeakRule(String key) {
        this.key = key;
    }

    /** The name used in options and JSON outputs. */
    public String key() {
        return key;
    }
}
