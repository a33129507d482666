package org.hvsim.dom0.xen;

import org.hvsim.hv.abi.Page;

/**
 * One grant mapping dom0 holds: the granting domain and ref, how it was mapped, the maptrack handle
 * for unmapping, and the machine address of the granted frame.
 */
public record GrantMap(int domid, int ref, boolean readonly, int handle, long devBusAddr) {
    /** The granted machine frame. */
    public long mfn() {
        return devBusAddr >>> Page.SHIFT;
    }
}
