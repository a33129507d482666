package org.hvsim.domu.cpu;

import java.util.function.LongSupplier;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.VcpuInfo;

/**
 * Xen system time (ns since the host booted) as a PV guest computes it from its {@code vcpu_time_info}
 * (Mini-OS's {@code monotonic_clock}, Linux's pvclock): read the record between two equal, even
 * {@code version}s, then {@code system_time + scale(tsc - tsc_timestamp)}. A record the hypervisor has
 * never published ({@code tsc_to_system_mul} = 0) leaves the TSC itself, which on hvsim counts
 * nanoseconds of system time (see {@link VcpuInfo}).
 *
 * <p>Threads: only the vCPU whose record it reads.
 */
public final class SystemTime {
    /** Reads to try while the hypervisor is updating the record, before taking the TSC alone. */
    static final int MAX_TRIES = 16;

    private final GuestMemory memory;
    private final long timeInfo;
    private final LongSupplier tsc;

    /**
     * @param memory   the vCPU's memory
     * @param vcpuInfo guest-physical address of the vCPU's {@code vcpu_info}
     * @param tsc      the vCPU's time stamp counter
     */
    public SystemTime(GuestMemory memory, long vcpuInfo, LongSupplier tsc) {
        this.memory = memory;
        this.timeInfo = vcpuInfo;
        this.tsc = tsc;
    }

    /** Nanoseconds of system time now. */
    public long now() {
        for (int i = 0; i < MAX_TRIES; i++) {
            int version = memory.getIntAcquire(timeInfo + VcpuInfo.TIME_VERSION);
            if ((version & 1) != 0) {
                continue;
            }
            long stamp = memory.getLong(timeInfo + VcpuInfo.TIME_TSC_TIMESTAMP);
            long systemTime = memory.getLong(timeInfo + VcpuInfo.TIME_SYSTEM_TIME);
            int mul = memory.getInt(timeInfo + VcpuInfo.TIME_TSC_TO_SYSTEM_MUL);
            int shift = memory.getByte(timeInfo + VcpuInfo.TIME_TSC_SHIFT);
            long t = tsc.getAsLong();
            if (memory.getIntAcquire(timeInfo + VcpuInfo.TIME_VERSION) != version) {
                continue;
            }
            return mul == 0 ? t : systemTime + VcpuInfo.scaleDelta(t - stamp, mul, shift);
        }
        return tsc.getAsLong();
    }
}
