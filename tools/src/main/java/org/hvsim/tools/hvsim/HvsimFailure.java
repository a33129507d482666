package org.hvsim.tools.hvsim;

/** An hvsim command ends with this message on stderr (a line, prefixed {@code hvsim: }) and this exit code. */
public final class HvsimFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public HvsimFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
