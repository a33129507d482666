package org.hvsim.hv.abi.memory;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_add_to_physmap} (XENMEM_add_to_physmap): {@code domid} domid_t @0, {@code size}
 * u16 @2 (gmfn_range only), {@code space} u32 @4 (XENMAPSPACE_*), {@code idx} u64 @8 (index in the
 * space), {@code gpfn} u64 @16 (where to map it). 24 bytes.
 */
public record XenAddToPhysmap(int domid, int size, int space, long idx, long gpfn) {
    public static final int SIZE = 24;

    public static final int SPACE_SHARED_INFO = 0;
    public static final int SPACE_GRANT_TABLE = 1;
    public static final int SPACE_GMFN = 2;
    public static final int SPACE_GMFN_RANGE = 3;
    public static final int SPACE_GMFN_FOREIGN = 4;
    public static final int SPACE_DEV_MMIO = 5;

    public static XenAddToPhysmap readFrom(GuestMemory m, long a) {
        return new XenAddToPhysmap(m.getUnsignedShort(a), m.getUnsignedShort(a + 2), m.getInt(a + 4), m.getLong(a + 8),
                m.getLong(a + 16));
    }

    public void writeTo(GuestMemory m, long a) {
        m.putShort(a, (short) domid);
        m.putShort(a + 2, (short) size);
        m.putInt(a + 4, space);
        m.putLong(a + 8, idx);
        m.putLong(a + 16, gpfn);
    }
}
