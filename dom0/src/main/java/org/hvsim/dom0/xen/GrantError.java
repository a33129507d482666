package org.hvsim.dom0.xen;

import org.hvsim.hv.abi.gnttab.GntSt;

/** A grant table operation returned a GNTST status other than okay: which one, and Xen's message. */
public final class GrantError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public GrantError(String operation, int status) {
        super(operation + " failed: " + GntSt.message(status) + " (GNTST " + status + ")", null, false, false);
        this.status = status;
    }

    /** The GNTST_* status (negative). */
    public int status() {
        return status;
    }
}
