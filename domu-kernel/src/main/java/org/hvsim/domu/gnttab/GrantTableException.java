package org.hvsim.domu.gnttab;

import org.hvsim.hv.abi.gnttab.GntSt;

/** The grant table could not give a ref: full at its maximum size, or the hypervisor refused to grow it. */
public final class GrantTableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GrantTableException(String message) {
        super(message, null, false, false);
    }

    static GrantTableException status(String operation, int status) {
        return new GrantTableException(operation + " failed: " + GntSt.message(status) + " (GNTST " + status + ")");
    }
}
