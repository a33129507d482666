package org.hvsim.hv.sched;

/**
 * What {@link SchedulerPolicy#doSchedule} decided for one pCPU: run {@code unit} for at most
 * {@code sliceNs}, or idle when {@code unit} is null (then {@code sliceNs} is how long the pCPU may
 * sleep before asking again, or {@link #IDLE_FOREVER}).
 */
public record Decision(SchedUnit unit, long sliceNs) {
    public static final long IDLE_FOREVER = Long.MAX_VALUE;

    public static Decision idle() {
        return new Decision(null, IDLE_FOREVER);
    }
}
