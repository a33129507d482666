package org.hvsim.hv.gnttab;

import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntTabOp;

/**
 * One mapping a domain holds of another's grant (Xen's {@code grant_mapping}): the granting domain's
 * table, the ref, the GNTMAP_* flags it was mapped with, and the machine frame it maps.
 */
record MaptrackEntry(GrantTable granter, int ref, int flags, long mfn) {
    boolean readonly() {
        return (flags & GntTabOp.GNTMAP_READONLY) != 0;
    }

    long machineAddress() {
        return Page.addressOf(mfn);
    }
}
