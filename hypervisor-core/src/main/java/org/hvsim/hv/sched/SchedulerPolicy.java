package org.hvsim.hv.sched;

/**
 * A scheduling policy, the op table of Xen's {@code struct scheduler}. The {@link Scheduler} calls
 * every method with its lock held, so a policy is single-threaded and, given the times it is passed,
 * deterministic: the same policy runs on real pCPU threads and in a simulation with a manual clock.
 *
 * <p>A unit is <em>eligible</em> when it could run now (not blocked, paused, down or running
 * elsewhere). The scheduler tells the policy about every change of eligibility: {@link #wake} when a
 * unit becomes eligible while off-CPU, {@link #sleep} when a queued unit stops being eligible, and
 * {@link #doSchedule} hands back the unit that just left a pCPU together with whether it is still
 * eligible, so the policy re-queues it or not.
 */
public interface SchedulerPolicy {

    /** Short name as {@code xl info} shows it ({@code xen_scheduler}), e.g. "credit", "rr". */
    String name();

    /** {@code XEN_SCHEDULER_*} id (sysctl sched_id). */
    int schedulerId();

    /** A new unit exists (not yet eligible). */
    void insertUnit(SchedUnit unit);

    /** A unit goes away for good; it is not queued and not running. */
    void removeUnit(SchedUnit unit);

    /** {@code unit} became eligible while off-CPU: queue it. Returns a pCPU to tickle, or -1. */
    int wake(SchedUnit unit, WakeCause cause, long now);

    /** {@code unit} was queued and is no longer eligible: take it off the queue. */
    void sleep(SchedUnit unit, long now);

    /** SCHEDOP_yield from {@code unit}, which is running: a hint for the next doSchedule. */
    void yield(SchedUnit unit);

    /**
     * Picks what {@code pcpu} runs next. {@code prev} is the unit that just left this pCPU, or null;
     * {@code prevEligible} says whether it may run again (the policy queues it or picks it).
     * {@code ranNs} is how long prev just ran. The unit returned is taken off the queue.
     */
    Decision doSchedule(int pcpu, SchedUnit prev, boolean prevEligible, long ranNs, long now);

    /** The affinity of {@code unit} changed (its hard affinity is already updated). */
    default void affinityChanged(SchedUnit unit) {}
}
