package org.hvsim.hv.memory;

/** What the memory hypercalls need to know of a domain; the integrator's domain implements it. */
public interface MemoryDomain {
    int domid();

    /** Whether this is a control domain (dom0): it may act on other domains' memory. */
    boolean isPrivileged();

    /** Whether destruction has begun; a dying domain gets no new frames. */
    boolean isDying();

    DomainMemory memory();

    /** The MFN of the domain's shared_info page (XENMAPSPACE_shared_info index 0), or -1 if it has none. */
    default long sharedInfoFrame() {
        return -1;
    }

    /**
     * XENMAPSPACE_grant_table: maps frame {@code idx} of the domain's grant table at {@code gpfn}, growing
     * the table to {@code idx + 1} frames first if it is smaller. Returns 0 or a negated errno (-EINVAL
     * for an index at or beyond the table's maximum); -EOPNOTSUPP for a domain without grant tables.
     */
    default long mapGrantFrame(long idx, long gpfn) {
        return -org.hvsim.hv.abi.Errno.EOPNOTSUPP;
    }
}
