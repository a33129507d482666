package org.hvsim.hv.abi.sched;

import org.hvsim.hv.abi.GuestMemory;

/** {@code struct sched_remote_shutdown {domid_t domain_id @0; u32 reason @4;}}. */
public record SchedRemoteShutdown(int domainId, int reason) {
    public static final int SIZE = 8;

    public static SchedRemoteShutdown read(GuestMemory m, long a) {
        return new SchedRemoteShutdown(m.getUnsignedShort(a), m.getInt(a + 4));
    }

    public void write(GuestMemory m, long a) {
        m.putShort(a, (short) domainId);
        m.putShort(a + 2, (short) 0);
        m.putInt(a + 4, reason);
    }
}
