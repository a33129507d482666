package org.hvsim.hv.abi;

/** {@code SCHEDOP_*} commands of {@code sched_op} ({@code public/sched.h}). */
public final class SchedOp {
    public static final int YIELD = 0;
    public static final int BLOCK = 1;
    public static final int SHUTDOWN = 2;
    public static final int POLL = 3;
    public static final int REMOTE_SHUTDOWN = 4;
    public static final int SHUTDOWN_CODE = 5;
    public static final int WATCHDOG = 6;
    public static final int PIN_OVERRIDE = 7;

    /** Most ports one {@code SCHEDOP_poll} may wait on. */
    public static final int POLL_MAX_PORTS = 128;

    private SchedOp() {}
}
