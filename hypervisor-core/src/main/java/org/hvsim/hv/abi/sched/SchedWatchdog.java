package org.hvsim.hv.abi.sched;

import org.hvsim.hv.abi.GuestMemory;

/** {@code struct sched_watchdog {u32 id @0; u32 timeout @4 (seconds);}}. */
public record SchedWatchdog(int id, int timeout) {
    public static final int SIZE = 8;

    public static SchedWatchdog read(GuestMemory m, long a) {
        return new SchedWatchdog(m.getInt(a), m.getInt(a + 4));
    }

    public void write(GuestMemory m, long a) {
        m.putInt(a, id);
        m.putInt(a + 4, timeout);
    }
}
