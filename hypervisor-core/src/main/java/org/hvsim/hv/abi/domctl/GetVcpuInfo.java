package org.hvsim.hv.abi.domctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_domctl_getvcpuinfo}: IN {@code vcpu} u32 @0; OUT {@code online} u8 @4,
 * {@code blocked} u8 @5, {@code running} u8 @6, {@code cpu_time} u64 @8, {@code cpu} u32 @16.
 */
public record GetVcpuInfo(int vcpu, boolean online, boolean blocked, boolean running, long cpuTime, int cpu) {
    public static final int SIZE = 24;

    public static GetVcpuInfo read(GuestMemory m, long a) {
        return new GetVcpuInfo(m.getInt(a), m.getByte(a + 4) != 0, m.getByte(a + 5) != 0, m.getByte(a + 6) != 0,
                m.getLong(a + 8), m.getInt(a + 16));
    }

    public void write(GuestMemory m, long a) {
        m.fill(a, SIZE, (byte) 0);
        m.putInt(a, vcpu);
        m.putByte(a + 4, (byte) (online ? 1 : 0));
        m.putByte(a + 5, (byte) (blocked ? 1 : 0));
        m.putByte(a + 6, (byte) (running ? 1 : 0));
        m.putLong(a + 8, cpuTime);
        m.putInt(a + 16, cpu);
    }
}
