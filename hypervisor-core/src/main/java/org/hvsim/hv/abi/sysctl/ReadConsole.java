package org.hvsim.hv.abi.sysctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_sysctl_readconsole}: IN {@code clear} u8 @0, {@code incremental} u8 @1;
 * IN/OUT {@code index} u32 @4 (with incremental: where to start, then where the next read starts);
 * IN {@code buffer} u64 @8; IN/OUT {@code count} u32 @16 (buffer size, then bytes written).
 */
public record ReadConsole(boolean clear, boolean incremental, int index, long buffer, int count) {
    public static final int SIZE = 24;
    public static final int INDEX = 4;
    public static final int COUNT = 16;

    public static ReadConsole read(GuestMemory m, long a) {
        return new ReadConsole(m.getByte(a) != 0, m.getByte(a + 1) != 0, m.getInt(a + INDEX), m.getLong(a + 8),
                m.getInt(a + COUNT));
    }

    public void write(GuestMemory m, long a) {
        m.putByte(a, (byte) (clear ? 1 : 0));
        m.putByte(a + 1, (byte) (incremental ? 1 : 0));
        m.putShort(a + 2, (short) 0);
        m.putInt(a + INDEX, index);
        m.putLong(a + 8, buffer);
        m.putInt(a + COUNT, count);
        m.putInt(a + 20, 0);
    }
}
