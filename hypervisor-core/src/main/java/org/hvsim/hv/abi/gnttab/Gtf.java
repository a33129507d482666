package org.hvsim.hv.abi.gnttab;

/** {@code GTF_*}: the flags field of a grant entry. */
public final class Gtf {
    /** Type field (bits 0-1): no access. */
    public static final int INVALID = 0;
    /** Type: {@code domid} may map or copy {@code frame}. */
    public static final int PERMIT_ACCESS = 1;
    /** Type: {@code domid} may transfer a page into this slot. */
    public static final int ACCEPT_TRANSFER = 2;
    /** Type: a transitive grant (v2 only). */
    public static final int TRANSITIVE = 3;
    public static final int TYPE_MASK = 3;
    /** [GST] the grantee may only read. */
    public static final int READONLY = 1 << 2;
    /** [XEN] the grant is mapped or being copied for reading. */
    public static final int READING = 1 << 3;
    /** [XEN] the grant is mapped or being copied for writing. */
    public static final int WRITING = 1 << 4;
    public static final int PWT = 1 << 5;
    public static final int PCD = 1 << 6;
    public static final int PAT = 1 << 7;
    /** v2 sub-page grants. */
    public static final int SUB_PAGE = 1 << 8;
    /** Transfer entries: Xen has committed to the transfer. */
    public static final int TRANSFER_COMMITTED = 1 << 2;
    /** Transfer entries: the transfer is done and {@code frame} written. */
    public static final int TRANSFER_COMPLETED = 1 << 3;

    private Gtf() {}
}
