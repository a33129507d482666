package org.hvsim.hv.abi.sched;

import org.hvsim.hv.abi.GuestMemory;

/** {@code struct sched_shutdown {u32 reason;}} (SCHEDOP_shutdown, SCHEDOP_shutdown_code). */
public record SchedShutdown(int reason) {
    public static final int SIZE = 4;

    public static SchedShutdown read(GuestMemory m, long a) {
        return new SchedShutdown(m.getInt(a));
    }

    public void write(GuestMemory m, long a) {
        m.putInt(a, reason);
    }
}
