package org.hvsim.domu.cmdline;

/** A command line, or one of its parameters, that the kernel or an app cannot accept; the message says why. */
public final class CommandLineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandLineException(String message) {
        super(message, null, false, false);
    }
}
