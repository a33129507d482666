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
}
