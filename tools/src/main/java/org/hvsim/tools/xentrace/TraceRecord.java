package org.hvsim.tools.xentrace;

/**
 * One scheduler trace record as TraceService streams it (three words; the layout is documented in
 * {@code trace.proto}).
 *
 * @param timeNs hypervisor time in ns
 * @param kind   one of the {@code KIND_*} values
 * @param pcpu   the pCPU, or {@link #NO_PCPU}
 * @param arg    the kind's argument
 */
public record TraceRecord(long timeNs, int kind, int pcpu, int domid, int vcpu, long arg) {
    public static final int WORDS = 3;
    public static final int NO_PCPU = 0xffff;

    public static final int KIND_RUNSTATE = 1;
    public static final int KIND_BOOST = 2;
    public static final int KIND_ACCOUNT = 3;
    public static final int KIND_TIMER = 4;
    public static final int KIND_UPCALL = 5;

    /** Xen's RUNSTATE_* numbers. */
    public static final int RUNSTATE_RUNNING = 0;
    public static final int RUNSTATE_RUNNABLE = 1;
    public static final int RUNSTATE_BLOCKED = 2;
    public static final int RUNSTATE_OFFLINE = 3;

    public static TraceRecord decode(long w0, long w1, long w2) {
        return new TraceRecord(w0, (int) (w1 >>> 56), (int) (w1 >>> 40) & 0xffff, (int) (w1 >>> 24) & 0xffff,
                (int) (w1 >>> 8) & 0xffff, w2);
    }

    /** The words of this record (for tests that make streams). */
    public long[] words() {
        return new long[] {timeNs, (long) (kind & 0xff) << 56 | (long) (pcpu & 0xffff) << 40
                | (long) (domid & 0xffff) << 24 | (long) (vcpu & 0xffff) << 8, arg};
    }

    /** RUNSTATE: the state left. */
    public int oldState() {
        return (int) (arg >>> 8) & 0xff;
    }

    /** RUNSTATE: the state entered. */
    public int newState() {
        return (int) arg & 0xff;
    }

    /** ACCOUNT: the credit. */
    public int credit() {
        return (int) arg;
    }

    /** ACCOUNT: the priority (Xen's CSCHED_PRI_* number). */
    public int priority() {
        return (byte) (arg >>> 32);
    }

    /** Xen's name of a runstate. */
    public static String stateName(int state) {
        return switch (state) {
            case RUNSTATE_RUNNING -> "running";
            case RUNSTATE_RUNNABLE -> "runnable";
            case RUNSTATE_BLOCKED -> "blocked";
            case RUNSTATE_OFFLINE -> "offline";
            default -> "state " + state;
        };
    }
}
