package org.hvsim.hv.sched;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.hvsim.hv.abi.Sysctl;

/**
 * Round robin: one FIFO run queue for the host, a fixed time slice, hard affinity respected. A unit
 * that leaves its pCPU still runnable goes to the back of the queue; a woken unit goes to the back
 * and an idle pCPU it may run on is woken (work conserving). No priorities, no weights: the teaching
 * baseline the credit scheduler is compared with. Called only under the {@link Scheduler}'s lock.
 */
public final class RoundRobinPolicy implements SchedulerPolicy, Scheduler.ContextAware {
    /** Xen's default time slice. */
    public static final long DEFAULT_SLICE_NS = 30_000_000L;

    private final long sliceNs;
    private final ArrayDeque<SchedUnit> runq = new ArrayDeque<>();
    private SchedContext context;

    public RoundRobinPolicy() {
        this(DEFAULT_SLICE_NS);
    }

    public RoundRobinPolicy(long sliceNs) {
        if (sliceNs <= 0) {
            throw new IllegalArgumentException("slice must be positive: " + sliceNs);
        }
        this.sliceNs = sliceNs;
    }

    @Override
    public void init(SchedContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "rr";
    }

    @Override
    public int schedulerId() {
        return Sysctl.SCHEDULER_HVSIM_RR;
    }

    @Override
    public void insertUnit(SchedUnit unit) {
        // Nothing to set up: a unit joins the queue when it wakes.
    }

    @Override
    public void removeUnit(SchedUnit unit) {
        runq.remove(unit);
    }

    @Override
    public int wake(SchedUnit unit, WakeCause cause, long now) {
        runq.addLast(unit);
        return idlePcpuFor(unit);
    }

    @Override
    public void sleep(SchedUnit unit, long now) {
        runq.remove(unit);
    }

    @Override
    public void yield(SchedUnit unit) {
        // Leaving the pCPU already sends it to the back of the queue.
    }

    @Override
    public Decision doSchedule(int pcpu, SchedUnit prev, boolean prevEligible, long ranNs, long now) {
        if (prevEligible) {
            runq.addLast(prev);
        }
        for (Iterator<SchedUnit> it = runq.iterator(); it.hasNext(); ) {
            SchedUnit u = it.next();
            if (u.allowedOn(pcpu)) {
                it.remove();
                return new Decision(u, sliceNs);
            }
        }
        return Decision.idle();
    }

    /** Queued units, front first (for tests and inspection). */
    public int queueLength() {
        return runq.size();
    }

    private int idlePcpuFor(SchedUnit unit) {
        if (context == null) {
            return -1;
        }
        int n = context.nrPcpus();
        int start = unit.lastPcpu();
        for (int i = 0; i < n; i++) {
            int cpu = (start + i) % n;
            if (unit.allowedOn(cpu) && context.isIdle(cpu)) {
                return cpu;
            }
        }
        return -1;
    }
}
