package org.hvsim.hv.sched.credit;

/**
 * A credit vCPU's priority ({@code CSCHED_PRI_*}), highest first. {@link #xenValue} is Xen's number
 * (larger runs first).
 */
public enum CreditPriority {
    /** {@code CSCHED_PRI_TS_BOOST}: woke from a block while UNDER and has not run since. */
    BOOST(0),
    /** {@code CSCHED_PRI_TS_UNDER}: credit &ge; 0. */
    UNDER(-1),
    /** {@code CSCHED_PRI_TS_OVER}: credit &lt; 0. */
    OVER(-2),
    /** {@code CSCHED_PRI_IDLE}: the idle vCPU; no guest vCPU has it. */
    IDLE(-64);

    private final int xenValue;

    CreditPriority(int xenValue) {
        this.xenValue = xenValue;
    }

    public int xenValue() {
        return xenValue;
    }

    /** Whether this priority runs before {@code other}. */
    public boolean higherThan(CreditPriority other) {
        return xenValue > other.xenValue;
    }
}
