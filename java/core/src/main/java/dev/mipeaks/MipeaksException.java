package dev.mipeaks;

/**
 * An error meant for the user: its message is one line that names the file, tensor, row or field at fault,
 * and it carries the exit code the CLI returns. The CLI prints the message without a stack trace
 * (unless --debug).
 */
public class MipeaksException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public MipeaksException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public MipeaksException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Invalid input (exit code 2). */
    public static MipeaksException invalid(String message) {
        return new MipeaksException(ExitCode.INVALID_INPUT, message);
    }

    public static MipeaksException invalid(String message, Throwable cause) {
        return new MipeaksException(ExitCode.INVALID_INPUT, message, cause);
    }
}
