package org.hvsim.hv.abi;

/** Hypercall numbers ({@code __HYPERVISOR_*} in {@code public/xen.h}). */
public final class HypercallNr {
    public static final int SET_TRAP_TABLE = 0;
    public static final int MMU_UPDATE = 1;
    public static final int SET_CALLBACKS = 4;
    public static final int SCHED_OP_COMPAT = 6;
    public static final int PLATFORM_OP = 7;
    public static final int MEMORY_OP = 12;
    public static final int MULTICALL = 13;
    public static final int UPDATE_VA_MAPPING = 14;
    public static final int SET_TIMER_OP = 15;
    public static final int EVENT_CHANNEL_OP_COMPAT = 16;
    public static final int XEN_VERSION = 17;
    public static final int CONSOLE_IO = 18;
    public static final int GRANT_TABLE_OP = 20;
    public static final int VM_ASSIST = 21;
    public static final int VCPU_OP = 24;
    public static final int MMUEXT_OP = 26;
    public static final int XSM_OP = 27;
    public static final int NMI_OP = 28;
    public static final int SCHED_OP = 29;
    public static final int CALLBACK_OP = 30;
    public static final int EVENT_CHANNEL_OP = 32;
    public static final int PHYSDEV_OP = 33;
    public static final int HVM_OP = 34;
    public static final int SYSCTL = 35;
    public static final int DOMCTL = 36;
    public static final int KEXEC_OP = 37;
    public static final int ARGO_OP = 39;
    public static final int XENPMU_OP = 40;
    public static final int DM_OP = 41;
    public static final int HYPFS_OP = 42;

    /** Hypercall numbers are below this bound; the dispatch table has this many slots. */
    public static final int NR_HYPERCALLS = 64;

    private HypercallNr() {}

    /** The name Xen gives hypercall {@code nr}, e.g. {@code "event_channel_op"}, or {@code "#nr"}. */
    public static String name(int nr) {
        return switch (nr) {
            case SET_TRAP_TABLE -> "set_trap_table";
            case MMU_UPDATE -> "mmu_update";
            case SET_CALLBACKS -> "set_callbacks";
            case SCHED_OP_COMPAT -> "sched_op_compat";
            case PLATFORM_OP -> "platform_op";
            case MEMORY_OP -> "memory_op";
            case MULTICALL -> "multicall";
            case UPDATE_VA_MAPPING -> "update_va_mapping";
            case SET_TIMER_OP -> "set_timer_op";
            case EVENT_CHANNEL_OP_COMPAT -> "event_channel_op_compat";
            case XEN_VERSION -> "xen_version";
            case CONSOLE_IO -> "console_io";
            case GRANT_TABLE_OP -> "grant_table_op";
            case VM_ASSIST -> "vm_assist";
            case VCPU_OP -> "vcpu_op";
            case MMUEXT_OP -> "mmuext_op";
            case XSM_OP -> "xsm_op";
            case NMI_OP -> "nmi_op";
            case SCHED_OP -> "sched_op";
            case CALLBACK_OP -> "callback_op";
            case EVENT_CHANNEL_OP -> "event_channel_op";
            case PHYSDEV_OP -> "physdev_op";
            case HVM_OP -> "hvm_op";
            case SYSCTL -> "sysctl";
            case DOMCTL -> "domctl";
            case KEXEC_OP -> "kexec_op";
            case ARGO_OP -> "argo_op";
            case XENPMU_OP -> "xenpmu_op";
            case DM_OP -> "dm_op";
            case HYPFS_OP -> "hypfs_op";
            default -> "#" + nr;
        };
    }
}
