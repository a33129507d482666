package org.hvsim.hv.abi;

/** {@code VCPUOP_*} commands of {@code vcpu_op} and runstate values ({@code public/vcpu.h}). */
public final class VcpuOp {
    public static final int INITIALISE = 0;
    public static final int UP = 1;
    public static final int DOWN = 2;
    public static final int IS_UP = 3;
    public static final int GET_RUNSTATE_INFO = 4;
    public static final int REGISTER_RUNSTATE_MEMORY_AREA = 5;
    public static final int SET_PERIODIC_TIMER = 6;
    public static final int STOP_PERIODIC_TIMER = 7;
    public static final int SET_SINGLESHOT_TIMER = 8;
    public static final int STOP_SINGLESHOT_TIMER = 9;
    public static final int REGISTER_VCPU_INFO = 10;
    public static final int SEND_NMI = 11;
    public static final int GET_PHYSID = 12;

    /** {@code RUNSTATE_running}: the vCPU is on a pCPU. */
    public static final int RUNSTATE_RUNNING = 0;
    /** {@code RUNSTATE_runnable}: ready, waiting for a pCPU. */
    public static final int RUNSTATE_RUNNABLE = 1;
    /** {@code RUNSTATE_blocked}: waiting for an event. */
    public static final int RUNSTATE_BLOCKED = 2;
    /** {@code RUNSTATE_offline}: down, or paused by the toolstack or the hypervisor. */
    public static final int RUNSTATE_OFFLINE = 3;

    /** {@code VCPU_SSHOTTMR_future}: fail with -ETIME if the timeout is already in the past. */
    public static final int SSHOTTMR_FUTURE = 1;

    private VcpuOp() {}
}
