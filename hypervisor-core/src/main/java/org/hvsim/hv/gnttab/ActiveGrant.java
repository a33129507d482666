package org.hvsim.hv.gnttab;

/**
 * The hypervisor's private copy of a grant in use (Xen's {@code active_grant_entry}): who it was granted
 * to and which machine frame, as read when it was first pinned, and how many read-only and writable
 * pins (mappings and copies in progress) hold it. The guest's entry is only consulted when a pin is
 * taken; these values are what the hypervisor trusts afterwards.
 *
 * <p>Threads: guarded by the owning {@link GrantTable}'s lock.
 */
final class ActiveGrant {
    /**
     * Xen's counters are 8 bits each ({@code GNTPIN_*_mask}), and a pin fails once any counter of a
     * pinned grant has reached 128 (bit 7 set), so none can overflow.
     */
    static final int MAX_PINS = 0x80;

    int domid;
    long gfn;
    long mfn = -1;
    int readPins;
    int writePins;

    int pins() {
        return readPins + writePins;
    }
}
