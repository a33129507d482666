package org.hvsim.hv.memory;

/** What a machine frame is used for, as the M2P records it. */
public enum PageType {
    /** On the allocator's free lists. */
    FREE,
    /** Guest RAM of its owner, counted in the owner's {@code tot_pages}. */
    RAM,
    /**
     * A xen-heap page: hypervisor memory owned by {@code DOMID_XEN}, or shared with the guest that owns
     * it (shared_info), not counted in {@code tot_pages} ({@code share_xen_page_with_guest}).
     */
    XEN_HEAP
}
