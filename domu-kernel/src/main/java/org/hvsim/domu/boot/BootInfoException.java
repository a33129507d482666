package org.hvsim.domu.boot;

/** start_info holds something the kernel cannot boot with; the message names the field and its value. */
public final class BootInfoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BootInfoException(String message) {
        super(message, null, false, false);
    }
}
