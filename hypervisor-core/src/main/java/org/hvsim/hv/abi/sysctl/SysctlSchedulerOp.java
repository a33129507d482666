package org.hvsim.hv.abi.sysctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_sysctl_scheduler_op} (XEN_SYSCTL_scheduler_op): {@code cpupool_id} u32 @0,
 * {@code sched_id} u32 @4, {@code cmd} u32 @8 (XEN_SYSCTL_SCHEDOP_*), then the union at @12; its credit
 * member {@code struct xen_sysctl_credit_schedule} is {@code tslice_ms} u32 @12, {@code ratelimit_us}
 * u32 @16 and {@code vcpu_migr_delay_us} u32 @20.
 */
public record SysctlSchedulerOp(int cpupoolId, int schedId, int cmd, int tsliceMs, int ratelimitUs,
                                int vcpuMigrDelayUs) {
    public static final int SIZE = 24;
    public static final int U_TSLICE_MS = 12;
    public static final int U_RATELIMIT_US = 16;
    public static final int U_VCPU_MIGR_DELAY_US = 20;

    public static SysctlSchedulerOp read(GuestMemory m, long a) {
        return new SysctlSchedulerOp(m.getInt(a), m.getInt(a + 4), m.getInt(a + 8), m.getInt(a + U_TSLICE_MS),
                m.getInt(a + U_RATELIMIT_US), m.getInt(a + U_VCPU_MIGR_DELAY_US));
    }

    public void write(GuestMemory m, long a) {
        m.putInt(a, cpupoolId);
        m.putInt(a + 4, schedId);
        m.putInt(a + 8, cmd);
        m.putInt(a + U_TSLICE_MS, tsliceMs);
        m.putInt(a + U_RATELIMIT_US, ratelimitUs);
        m.putInt(a + U_VCPU_MIGR_DELAY_US, vcpuMigrDelayUs);
    }
}
