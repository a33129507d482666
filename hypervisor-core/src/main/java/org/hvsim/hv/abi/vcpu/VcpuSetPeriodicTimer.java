package org.hvsim.hv.abi.vcpu;

import org.hvsim.hv.abi.GuestMemory;

/** {@code struct vcpu_set_periodic_timer {u64 period_ns @0;}}. */
public record VcpuSetPeriodicTimer(long periodNs) {
    public static final int SIZE = 8;

    public static VcpuSetPeriodicTimer read(GuestMemory m, long a) {
        return new VcpuSetPeriodicTimer(m.getLong(a));
    }

    public void write(GuestMemory m, long a) {
        m.putLong(a, periodNs);
    }
}
