package org.hvsim.hv.abi.domctl;

import org.hvsim.hv.abi.GuestMemory;

/** {@code struct xenctl_bitmap {u64 bitmap (guest handle to u8[]) @0; u32 nr_bits @8;}} (16 bytes). */
public record XenctlBitmap(long bitmap, int nrBits) {
    public static final int SIZE = 16;

    public static XenctlBitmap read(GuestMemory m, long a) {
        return new XenctlBitmap(m.getLong(a), m.getInt(a + 8));
    }

    public void write(GuestMemory m, long a) {
        m.putLong(a, bitmap);
        m.putInt(a + 8, nrBits);
        m.putInt(a + 12, 0);
    }
}
