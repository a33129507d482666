package org.hvsim.dom0.privcmd;

/**
 * The privcmd channel to the hypervisor is closed: the hypercall was not answered, and no later one
 * will be. The message says why the channel closed.
 */
public final class PrivcmdClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PrivcmdClosedException(String message) {
        super(message);
    }

    public PrivcmdClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
