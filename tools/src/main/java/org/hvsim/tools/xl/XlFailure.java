package org.hvsim.tools.xl;

/**
 * A command ends with this text on stderr and this exit code, as xl's {@code fprintf(stderr, ...); exit(n)}.
 * The text is printed as is, so it carries its own newlines.
 */
public final class XlFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public XlFailure(String text, int exitCode) {
        super(text);
        this.exitCode = exitCode;
    }

    /** One line (a newline is added), exit code 1 ({@code EXIT_FAILURE}). */
    public static XlFailure line(String message) {
        return new XlFailure(message + "\n", 1);
    }

    public int exitCode() {
        return exitCode;
    }
}
