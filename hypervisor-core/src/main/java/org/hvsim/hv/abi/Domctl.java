package org.hvsim.hv.abi;

/** {@code XEN_DOMCTL_*} commands of {@code domctl} and the flags they use ({@code public/domctl.h}). */
public final class Domctl {
    /** {@code XEN_DOMCTL_INTERFACE_VERSION}; a mismatch is refused with -EACCES, as Xen does. */
    public static final int INTERFACE_VERSION = 0x18;

    public static final int CREATEDOMAIN = 1;
    public static final int DESTROYDOMAIN = 2;
    public static final int PAUSEDOMAIN = 3;
    public static final int UNPAUSEDOMAIN = 4;
    public static final int GETDOMAININFO = 5;
    public static final int SETVCPUAFFINITY = 9;
    public static final int SHADOW_OP = 10;
    public static final int MAX_MEM = 11;
    public static final int SETVCPUCONTEXT = 12;
    public static final int GETVCPUCONTEXT = 13;
    public static final int GETVCPUINFO = 14;
    public static final int MAX_VCPUS = 15;
    public static final int SCHEDULER_OP = 16;
    public static final int SETDOMAINHANDLE = 17;
    public static final int GETVCPUAFFINITY = 25;
    public static final int RESUMEDOMAIN = 27;
    public static final int SET_VIRQ_HANDLER = 66;

    /** {@code XEN_DOMINF_*} flags of getdomaininfo; the shutdown reason sits in bits 16..23. */
    public static final int DOMINF_DYING = 1 << 0;
    public static final int DOMINF_HVM_GUEST = 1 << 1;
    public static final int DOMINF_SHUTDOWN = 1 << 2;
    public static final int DOMINF_PAUSED = 1 << 3;
    public static final int DOMINF_BLOCKED = 1 << 4;
    public static final int DOMINF_RUNNING = 1 << 5;
    public static final int DOMINF_DEBUGGED = 1 << 6;
    public static final int DOMINF_XS_DOMAIN = 1 << 7;
    public static final int DOMINF_HAP = 1 << 8;
    public static final int DOMINF_SHUTDOWNSHIFT = 16;
    public static final int DOMINF_SHUTDOWNMASK = 0xff;

    /** {@code XEN_VCPUAFFINITY_*} flags of setvcpuaffinity. */
    /** XEN_DOMCTL_SCHEDOP_* (scheduler_op's cmd). */
    public static final int SCHEDOP_PUTINFO = 0;
    public static final int SCHEDOP_GETINFO = 1;
    public static final int SCHEDOP_PUTVCPUINFO = 2;
    public static final int SCHEDOP_GETVCPUINFO = 3;
    /** scheduler_op putinfo: a credit cap of (uint16_t)~0 leaves the cap alone; a weight of 0 the weight. */
    public static final int SCHED_CREDIT_CAP_UNCHANGED = 0xffff;

    public static final int VCPUAFFINITY_HARD = 1 << 0;
    public static final int VCPUAFFINITY_SOFT = 1 << 1;
    public static final int VCPUAFFINITY_FORCE = 1 << 2;

    private Domctl() {}
}
