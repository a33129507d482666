package org.hvsim.hv.abi.sched;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct sched_poll}: {@code ports} (u64 guest handle to u32[]) @0, {@code nr_ports} u32 @8,
 * {@code timeout} u64 @16 (absolute system time, 0 = none).
 */
public record SchedPoll(long ports, int nrPorts, long timeout) {
    public static final int SIZE = 24;

    public static SchedPoll read(GuestMemory m, long a) {
        return new SchedPoll(m.getLong(a), m.getInt(a + 8), m.getLong(a + 16));
    }

    public void write(GuestMemory m, long a) {
        m.putLong(a, ports);
        m.putInt(a + 8, nrPorts);
        m.putInt(a + 12, 0);
        m.putLong(a + 16, timeout);
    }
}
