package org.hvsim.hv.abi;

/** {@code XEN_SYSCTL_*} commands of {@code sysctl} ({@code public/sysctl.h}). */
public final class Sysctl {
    /** {@code XEN_SYSCTL_INTERFACE_VERSION}; a mismatch is refused with -EACCES, as Xen does. */
    public static final int INTERFACE_VERSION = 0x15;

    public static final int READCONSOLE = 1;
    public static final int TBUF_OP = 2;
    public static final int PHYSINFO = 3;
    public static final int SCHED_ID = 4;
    public static final int GETDOMAININFOLIST = 6;
    public static final int DEBUG_KEYS = 7;
    public static final int GETCPUINFO = 8;
    public static final int AVAILHEAP = 9;
    public static final int CPUTOPOINFO = 16;
    public static final int NUMAINFO = 17;
    public static final int CPUPOOL_OP = 18;
    public static final int SCHEDULER_OP = 19;

    /** {@code XEN_SCHEDULER_*} ids (sched_id, domctl scheduler_op). */
    public static final int SCHEDULER_CREDIT = 5;
    public static final int SCHEDULER_CREDIT2 = 6;
    public static final int SCHEDULER_ARINC653 = 7;
    public static final int SCHEDULER_RTDS = 8;
    public static final int SCHEDULER_NULL = 9;
    /** Not a Xen scheduler: hvsim's round-robin teaching policy. */
    public static final int SCHEDULER_HVSIM_RR = 64;

    /** {@code XEN_SYSCTL_PHYSCAP_*} bits of physinfo capabilities. */
    /** XEN_SYSCTL_SCHEDOP_* (scheduler_op's cmd). */
    public static final int SCHEDOP_PUTINFO = 0;
    public static final int SCHEDOP_GETINFO = 1;
    /** XEN_SYSCTL_SCHED_RATELIMIT_MAX / _MIN, in µs. */
    public static final int SCHED_RATELIMIT_MAX_US = 500_000;
    public static final int SCHED_RATELIMIT_MIN_US = 100;
    /** XEN_SYSCTL_CSCHED_TSLICE_MAX / _MIN, in ms. */
    public static final int CSCHED_TSLICE_MAX_MS = 1000;
    public static final int CSCHED_TSLICE_MIN_MS = 1;
    /** XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US: the largest vCPU migration delay, 100 ms. */
    public static final int CSCHED_MGR_DLY_MAX_US = 100 * 1000;

    public static final int PHYSCAP_HVM = 1 << 0;
    public static final int PHYSCAP_PV = 1 << 1;
    public static final int PHYSCAP_DIRECTIO = 1 << 2;
    public static final int PHYSCAP_HAP = 1 << 3;
    public static final int PHYSCAP_SHADOW = 1 << 4;
    public static final int PHYSCAP_IOMMU_HAP_PT_SHARE = 1 << 5;
    public static final int PHYSCAP_VMTRACE = 1 << 6;
    public static final int PHYSCAP_GNTTAB_V1 = 1 << 7;
    public static final int PHYSCAP_GNTTAB_V2 = 1 << 8;

    private Sysctl() {}
}
