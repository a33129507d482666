package org.hvsim.hv.abi;

/** Domain identifiers ({@code domid_t}, 16 bits) and the reserved ones of {@code public/xen.h}. */
public final class DomId {
    /** Real domain ids are below this value. */
    public static final int FIRST_RESERVED = 0x7FF0;
    public static final int SELF = 0x7FF0;
    public static final int IO = 0x7FF1;
    public static final int XEN = 0x7FF2;
    public static final int COW = 0x7FF3;
    public static final int INVALID = 0x7FF4;
    public static final int ANY = 0x7FF5;
    public static final int IDLE = 0x7FFF;

    /** The control domain. */
    public static final int DOM0 = 0;

    private DomId() {}

    /** Whether {@code domid} can name a real domain (0 ≤ id < 0x7FF0). */
    public static boolean isReal(int domid) {
        return domid >= 0 && domid < FIRST_RESERVED;
    }
}
