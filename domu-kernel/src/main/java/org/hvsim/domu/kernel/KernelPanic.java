package org.hvsim.domu.kernel;

/**
 * The kernel cannot go on and has no console to say so on (start_info is unusable): thrown out of the
 * entry point, which crashes the domain with this message in the hypervisor's log ({@code xl dmesg}).
 */
public final class KernelPanic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelPanic(String message) {
        super("minios: " + message, null, false, false);
    }
}
