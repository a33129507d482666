package org.hvsim.hv.sched;

/** What a policy may ask the scheduler about the pCPUs (called with the scheduler lock held). */
public interface SchedContext {
    int nrPcpus();

    /** Whether {@code pcpu} is idle (running no unit and waiting for work). */
    boolean isIdle(int pcpu);

    /** The unit {@code pcpu} is running, or null. */
    SchedUnit current(int pcpu);

    /** Where a policy records its events (boosts, accounting); off unless someone traces. */
    default SchedTrace trace() {
        return SchedTrace.OFF;
    }
}
