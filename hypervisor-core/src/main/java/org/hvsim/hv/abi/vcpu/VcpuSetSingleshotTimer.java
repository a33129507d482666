package org.hvsim.hv.abi.vcpu;

import org.hvsim.hv.abi.GuestMemory;

/** {@code struct vcpu_set_singleshot_timer {u64 timeout_abs_ns @0; u32 flags @8;}}. */
public record VcpuSetSingleshotTimer(long timeoutAbsNs, int flags) {
    public static final int SIZE = 16;

    public static VcpuSetSingleshotTimer read(GuestMemory m, long a) {
        return new VcpuSetSingleshotTimer(m.getLong(a), m.getInt(a + 8));
    }

    public void write(GuestMemory m, long a) {
        m.putLong(a, timeoutAbsNs);
        m.putInt(a + 8, flags);
        m.putInt(a + 12, 0);
    }
}
