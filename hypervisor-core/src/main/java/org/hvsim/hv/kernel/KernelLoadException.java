package org.hvsim.hv.kernel;

/** A kernel jar could not be loaded: missing, unreadable, no GuestKernel provider, or a bad provider. */
public final class KernelLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public KernelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
