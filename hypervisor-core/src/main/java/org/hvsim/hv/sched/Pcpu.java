package org.hvsim.hv.sched;

import java.util.concurrent.locks.LockSupport;
import org.hvsim.hv.time.TimerService;

/**
 * One physical CPU: a platform thread that repeatedly asks the policy what to run and runs it, by
 * mounting the chosen vCPU's virtual-thread continuation on itself until the vCPU yields, blocks or
 * is preempted at a preemption point. Threads: the pCPU thread runs {@link #loop}; any thread may
 * {@link #kick} it. Other fields are guarded by the scheduler lock.
 */
final class Pcpu {
    /** How long an idle pCPU spins before parking: a park/unpark costs 25-60 µs on these VMs. */
    private static final long IDLE_SPIN_NS = 20_000;

    final int id;
    final Thread thread;
    final TimerService.Timer sliceTimer;
    private final Scheduler scheduler;

    // guarded by the scheduler lock
    SchedUnit current;
    boolean idle;
    long idleTime;
    long idleSince;

    /** Set by {@link #kick}: there may be work; cleared by the pCPU when it looks for work. */
    private volatile boolean kicked;

    Pcpu(int id, Scheduler scheduler, TimerService timers) {
        this.id = id;
        this.scheduler = scheduler;
        this.thread = Thread.ofPlatform().name("pcpu" + id).daemon().unstarted(this::loop);
        this.sliceTimer = timers.newTimer(() -> scheduler.sliceTimerFired(this));
    }

    void kick() {
        kicked = true;
        LockSupport.unpark(thread);
    }

    private void loop() {
        SchedUnit prev = null;
        long ran = 0;
        while (scheduler.running()) {
            kicked = false;
            Scheduler.Dispatch d = scheduler.schedule(this, prev, ran);
            if (d == null) {
                prev = null;
                ran = 0;
                idleWait(scheduler.idleWaitNs());
                continue;
            }
            long start = d.start();
            armSliceTimer(d.sliceDeadline());
            try {
                d.continuation().run();
            } catch (Throwable t) {
                scheduler.continuationFailed(d.unit(), t);
            }
            prev = d.unit();
            ran = scheduler.clock().now() - start;
        }
        scheduler.pcpuStopped(this, prev, ran);
    }

    /** Arms the slice timer unless it already fires no later than {@code deadline} (lazy re-arm). */
    private void armSliceTimer(long deadline) {
        if (deadline != Long.MAX_VALUE && (!sliceTimer.isActive() || sliceTimer.deadline() > deadline)) {
            sliceTimer.set(deadline);
        }
    }

    private void idleWait(long maxNs) {
        long spinUntil = System.nanoTime() + IDLE_SPIN_NS;
        while (!kicked && scheduler.running() && System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
        if (!kicked && scheduler.running()) {
            LockSupport.parkNanos(this, maxNs);
        }
    }
}
