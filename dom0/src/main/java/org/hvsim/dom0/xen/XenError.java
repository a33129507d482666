package org.hvsim.dom0.xen;

import org.hvsim.hv.abi.Errno;

/** A hypercall failed: which one, and Xen's errno. */
public final class XenError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public XenError(String operation, long result) {
        super(operation + " failed: " + Errno.name(result) + " (" + result + ")", null, false, false);
        this.errno = (int) Math.abs(result);
    }

    /** The positive Xen errno (e.g. {@link Errno#ESRCH}). */
    public int errno() {
        return errno;
    }
}
