package org.hvsim.hv.abi.sched;

/**
 * One scheduler trace event as three 64-bit words, the layout of the privcmd channel's
 * {@code SchedTraceBatch.words} (Xen's xentrace records TRC_SCHED_* events as words too; this is
 * hvsim's own layout):
 * <pre>
 *   word 0: hypervisor time in ns
 *   word 1: kind &lt;&lt; 56 | pcpu &lt;&lt; 40 | domid &lt;&lt; 24 | vcpu &lt;&lt; 8
 *   word 2: the kind's argument
 * </pre>
 * {@code pcpu} is {@link #NO_PCPU} where the event happened on no pCPU in particular. The argument:
 * <ul>
 *   <li>RUNSTATE: {@code old_state << 8 | new_state} (Xen's RUNSTATE_* numbers); pcpu is the pCPU the
 *       vCPU starts running on (new state running) or leaves (old state running), else the last one
 *       it ran on;</li>
 *   <li>BOOST: 0 (credit: a vCPU woken from a block while UNDER is boosted);</li>
 *   <li>ACCOUNT: {@code priority << 32 | credit as an unsigned 32-bit int} after an accounting period
 *       (credit: priority 0 BOOST, -1 UNDER, -2 OVER, -64 IDLE as a signed byte);</li>
 *   <li>TIMER: 0 (the vCPU's singleshot or periodic timer fired: VIRQ_TIMER raised);</li>
 *   <li>UPCALL: 0 (the vCPU entered its event callback).</li>
 * </ul>
 */
public record SchedTraceRecord(long timeNs, int kind, int pcpu, int domid, int vcpu, long arg) {
    public static final int WORDS = 3;
    /** pcpu of an event that happened on no pCPU in particular. */
    public static final int NO_PCPU = 0xffff;

    /** A vCPU changed runstate. */
    public static final int KIND_RUNSTATE = 1;
    /** A waking vCPU got BOOST priority. */
    public static final int KIND_BOOST = 2;
    /** Credit and priority of an active vCPU after accounting. */
    public static final int KIND_ACCOUNT = 3;
    /** A vCPU's timer fired. */
    public static final int KIND_TIMER = 4;
    /** A vCPU took an event upcall. */
    public static final int KIND_UPCALL = 5;

    public static long word1(int kind, int pcpu, int domid, int vcpu) {
        return (long) (kind & 0xff) << 56 | (long) (pcpu & 0xffff) << 40 | (long) (domid & 0xffff) << 24
                | (long) (vcpu & 0xffff) << 8;
    }

    public static long runstateArg(int oldState, int newState) {
        return (oldState & 0xff) << 8 | newState & 0xff;
    }

    public static long accountArg(int priority, int credit) {
        return (long) (priority & 0xff) << 32 | credit & 0xffff_ffffL;
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

    /** ACCOUNT: the priority. */
    public int priority() {
        return (byte) (arg >>> 32);
    }

    /** The record of words {@code w0, w1, w2}. */
    public static SchedTraceRecord decode(long w0, long w1, long w2) {
        return new SchedTraceRecord(w0, (int) (w1 >>> 56), (int) (w1 >>> 40) & 0xffff, (int) (w1 >>> 24) & 0xffff,
                (int) (w1 >>> 8) & 0xffff, w2);
    }
}
