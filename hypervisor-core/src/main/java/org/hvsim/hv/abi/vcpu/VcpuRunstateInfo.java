package org.hvsim.hv.abi.vcpu;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct vcpu_runstate_info}: {@code state} i32 @0, {@code state_entry_time} u64 @8,
 * {@code time[4]} u64 @16 (ns in running, runnable, blocked, offline).
 */
public record VcpuRunstateInfo(int state, long stateEntryTime, long running, long runnable, long blocked, long offline) {
    public static final int SIZE = 48;

    public static VcpuRunstateInfo read(GuestMemory m, long a) {
        return new VcpuRunstateInfo(m.getInt(a), m.getLong(a + 8), m.getLong(a + 16), m.getLong(a + 24),
                m.getLong(a + 32), m.getLong(a + 40));
    }

    public void write(GuestMemory m, long a) {
        m.putInt(a, state);
        m.putInt(a + 4, 0);
        m.putLong(a + 8, stateEntryTime);
        m.putLong(a + 16, running);
        m.putLong(a + 24, runnable);
        m.putLong(a + 32, blocked);
        m.putLong(a + 40, offline);
    }
}
