package dev.mipeaks;

/** The one exit-code table of every mipeaks command. */
public enum ExitCode {
    OK(0, "success"),
    ERROR(1, "unexpected error (a bug)"),
    INVALID_INPUT(2, "invalid input: a file, tensor, row, field or option is wrong, or a file cannot be read or "
            + "written (full disk, read-only folder)"),
    DEVICE_UNAVAILABLE(3, "the requested device (GPU, kernels) is not available"),
    INTERRUPTED(130, "interrupted (Ctrl-C); finished items are kept, the run resumes");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
