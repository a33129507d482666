package org.hvsim.hv.sched.credit;

import org.hvsim.hv.sched.SchedUnit;

/**
 * One vCPU's credit state ({@code struct csched_unit}): credit, priority, and where it is (a run
 * queue, parked, running, or none of those while blocked). Touched only under the scheduler's lock.
 */
final class CreditUnit {
    /** {@code CSCHED_CREDITS_PER_MSEC}. */
    static final int CREDITS_PER_MSEC = 10;
    private static final long NS_PER_MS = 1_000_000L;

    final SchedUnit unit;
    final CreditDomain dom;
    int credit;
    /** Nanoseconds × credits-per-ms not yet turned into a whole credit (so no run time escapes). */
    private long residual;
    CreditPriority pri = CreditPriority.UNDER;
    /** On its domain's active list ({@code active_unit_elem} linked). */
    boolean active;
    /** {@code CSCHED_FLAG_UNIT_PARKED}: its capped domain overran; it may not run until unparked. */
    boolean parked;
    /** {@code CSCHED_FLAG_UNIT_YIELD}: yielded; runs after the others of its priority. */
    boolean yielded;
    /** Eligible but held back because parked (Xen pauses it; here the policy keeps it aside). */
    boolean waitingUnpark;
    /** The pCPU whose run queue holds it, or -1. */
    int runqCpu = -1;
    /** The pCPU running it, or -1. */
    int runningOn = -1;
    /** When its current uninterrupted run began ({@code start_time}), for the ratelimit. */
    long runStart;
    /** Nanoseconds of the current dispatch already debited (by an accounting while it ran). */
    long burnedNs;
    /** When it was last debited while running. */
    long lastBurn;

    CreditUnit(SchedUnit unit, CreditDomain dom) {
        this.unit = unit;
        this.dom = dom;
    }

    /**
     * {@code burn_credits}: debits {@code ns} of run time exactly, 10 credits per ms, carrying the
     * remainder to the next debit.
     */
    void burn(long ns) {
        if (ns <= 0) {
            return;
        }
        long scaled = ns * CREDITS_PER_MSEC + residual;
        credit -= (int) (scaled / NS_PER_MS);
        residual = scaled % NS_PER_MS;
    }

    /** The priority its credit gives (BOOST is kept until it has run). */
    CreditPriority creditPriority() {
        return credit < 0 ? CreditPriority.OVER : CreditPriority.UNDER;
    }

    @Override
    public String toString() {
        return unit + "[" + pri + " " + credit + (parked ? " parked" : "") + "]";
    }
}
