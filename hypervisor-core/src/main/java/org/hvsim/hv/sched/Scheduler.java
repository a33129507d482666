package org.hvsim.hv.sched;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.concurrent.SpinLock;
import org.hvsim.hv.time.HvClock;
import org.hvsim.hv.time.TimerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic scheduler (Xen's {@code common/sched/core.c}): owns the pCPU threads, keeps every
 * unit's pause flags, runstate and placement, and consults a {@link SchedulerPolicy} for every
 * decision. One lock guards all of it, so the policy sees a consistent world and runs single-threaded.
 *
 * <p>Threads: pCPU threads call {@link #schedule}; vCPU threads call {@link #block},
 * {@link #yield}; the JDK calls a unit's carrier executor ({@link #onReady}) on whatever thread readies
 * the continuation; the toolstack's and the timer's threads call the pause/unpause/unblock family.
 */
public final class Scheduler implements SchedContext, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final HvClock clock;
    private final SchedulerPolicy policy;
    private final Pcpu[] pcpus;
    /** A {@link SpinLock}: vCPU threads take it, and must never park waiting for their own carrier. */
    private final SpinLock lock = new SpinLock();
    private final SchedTrace trace;
    private volatile boolean running;
    private int placement;

    /** What a pCPU runs next: the unit, its continuation, and when it started. */
    record Dispatch(SchedUnit unit, Runnable continuation, long start, long sliceDeadline) {}

    public Scheduler(HvClock clock, SchedulerPolicy policy, int nrPcpus, TimerService timers) {
        if (nrPcpus < 1) {
            throw new IllegalArgumentException("need at least one pCPU, got " + nrPcpus);
        }
        this.clock = clock;
        this.policy = policy;
        this.trace = new SchedTrace(clock::now, java.time.Clock.systemUTC());
        this.pcpus = new Pcpu[nrPcpus];
        for (int i = 0; i < nrPcpus; i++) {
            pcpus[i] = new Pcpu(i, this, timers);
        }
        if (policy instanceof ContextAware aware) {
            aware.init(this);
        }
    }

    /** A policy that wants to see the pCPUs implements this; the scheduler calls it once. */
    public interface ContextAware {
        void init(SchedContext context);
    }

    /** The scheduler trace (off until dom0 starts it). */
    @Override
    public SchedTrace trace() {
        return trace;
    }

    public void start() {
        running = true;
        long now = clock.now();
        for (Pcpu p : pcpus) {
            p.idleSince = now;
            p.thread.start();
        }
    }

    boolean running() {
        return running;
    }

    HvClock clock() {
        return clock;
    }

    public SchedulerPolicy policy() {
        return policy;
    }

    /**
     * Runs {@code f} on the policy with the scheduler's lock held, as Xen's {@code sched_adjust} and
     * {@code sched_adjust_global} call a policy's hooks: the policy sees no scheduling decision
     * half-made. {@code f} must be short and must not block.
     */
    public <T> T adjust(Function<SchedulerPolicy, T> f) {
        lock.lock();
        try {
            return f.apply(policy);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int nrPcpus() {
        return pcpus.length;
    }

    @Override
    public boolean isIdle(int pcpu) {
        return pcpus[pcpu].idle;
    }

    @Override
    public SchedUnit current(int pcpu) {
        return pcpus[pcpu].current;
    }

    // ------------------------------------------------------------------------------------------
    // Units
    // ------------------------------------------------------------------------------------------

    /** A new unit for vCPU {@code vcpuId} of {@code domid}: down, not runnable. */
    public SchedUnit createUnit(int domid, int vcpuId) {
        lock.lock();
        try {
            SchedUnit u = new SchedUnit(domid, vcpuId, placement++ % pcpus.length, clock.now());
            policy.insertUnit(u);
            return u;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The unit's virtual thread: its continuation is always handed to this scheduler, which runs it
     * on a pCPU. Not started; {@link #startUnit} starts it.
     */
    public Thread newVcpuThread(SchedUnit u, String name, Runnable body) {
        return VcpuThreadFactory.newThread(name, task -> onReady(u, task), () -> {
            CURRENT.set(u);
            try {
                body.run();
            } finally {
                exited(u);
            }
        });
    }

    /** Brings a unit up for the first time (VCPUOP_up, or vCPU 0 at boot) by starting its thread. */
    public void startUnit(SchedUnit u, Thread thread) {
        lock.lock();
        try {
            u.pauseFlags &= ~SchedUnit.VPF_DOWN;
            u.wakeCause = WakeCause.STARTED;
        } finally {
            lock.unlock();
        }
        thread.start();
    }

    /**
     * Removes a unit whose thread has ended (or never started) for good. If its pCPU has not yet
     * finished switching away from it, the removal completes when it has.
     */
    public void removeUnit(SchedUnit u) {
        lock.lock();
        try {
            if (!u.exited && (u.continuation != null || u.pcpu >= 0)) {
                throw new IllegalStateException(u + " is still live");
            }
            u.removed = true;
            if (u.queued) {
                policy.sleep(u, clock.now());
                u.queued = false;
            }
            if (u.pcpu < 0) {
                policy.removeUnit(u);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The JDK readies the unit's continuation (start, yield, unpark). */
    private void onReady(SchedUnit u, Runnable task) {
        int tickle;
        lock.lock();
        try {
            u.continuation = task;
            tickle = maybeWake(u, WakeCause.INTERNAL);
        } finally {
            lock.unlock();
        }
        tickle(tickle);
    }

    private void exited(SchedUnit u) {
        lock.lock();
        try {
            u.exited = true;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // State changes asked for by hypercalls and the toolstack
    // ------------------------------------------------------------------------------------------

    /**
     * SCHEDOP_block/poll, from the unit's own thread: unless {@code wakeCondition} already holds
     * (evaluated under the scheduler lock, so a concurrent {@link #unblock} cannot be missed) or the
     * unit is dying, marks it blocked and gives up the pCPU; returns when it has been unblocked (or is
     * dying). Returns whether it actually blocked.
     */
    public boolean block(SchedUnit u, BooleanSupplier wakeCondition) {
        requireOwnThread(u);
        lock.lock();
        try {
            if (u.dying || wakeCondition.getAsBoolean()) {
                return false;
            }
            u.pauseFlags |= SchedUnit.VPF_BLOCKED;
            u.preempt = true;
        } finally {
            lock.unlock();
        }
        Thread.yield();
        return true;
    }

    /** Ends a block (an event or a timer for the unit). Returns whether it was blocked. */
    public boolean unblock(SchedUnit u) {
        int tickle = -1;
        boolean was;
        lock.lock();
        try {
            was = (u.pauseFlags & SchedUnit.VPF_BLOCKED) != 0;
            if (was) {
                u.pauseFlags &= ~SchedUnit.VPF_BLOCKED;
                tickle = maybeWake(u, WakeCause.BLOCK_ENDED);
            }
        } finally {
            lock.unlock();
        }
        tickle(tickle);
        return was;
    }

    /** The unit whose thread is the current thread, or null on any other thread. */
    public static SchedUnit currentUnit() {
        return CURRENT.get();
    }

    private static final ThreadLocal<SchedUnit> CURRENT = new ThreadLocal<>();

    private static void requireOwnThread(SchedUnit u) {
        if (CURRENT.get() != u) {
            throw new IllegalStateException("only " + u + "'s own thread may do this");
        }
    }

    /** SCHEDOP_yield, from the unit's own thread: tells the policy, then gives up the pCPU. */
    public void yield(SchedUnit u) {
        requireOwnThread(u);
        lock.lock();
        try {
            policy.yield(u);
        } finally {
            lock.unlock();
        }
        Thread.yield();
    }

    /** Called by the unit's own thread at a preemption point when {@link SchedUnit#preemptRequested()}. */
    public void preempted(SchedUnit u) {
        requireOwnThread(u);
        Thread.yield();
    }

    /** vcpu_pause: not schedulable until a matching {@link #unpause}. */
    public void pause(SchedUnit u) {
        lock.lock();
        try {
            u.pauseCount++;
            becameIneligible(u);
        } finally {
            lock.unlock();
        }
    }

    public void unpause(SchedUnit u) {
        int tickle = -1;
        lock.lock();
        try {
            if (u.pauseCount == 0) {
                throw new IllegalStateException(u + " is not paused");
            }
            u.pauseCount--;
            tickle = maybeWake(u, WakeCause.UNPAUSED);
        } finally {
            lock.unlock();
        }
        tickle(tickle);
    }

    /** VCPUOP_down: sets {@code _VPF_down}. Returns whether it was up. */
    public boolean down(SchedUnit u) {
        lock.lock();
        try {
            boolean wasUp = (u.pauseFlags & SchedUnit.VPF_DOWN) == 0;
            u.pauseFlags |= SchedUnit.VPF_DOWN;
            becameIneligible(u);
            return wasUp;
        } finally {
            lock.unlock();
        }
    }

    /** VCPUOP_up of a unit whose thread already exists: clears {@code _VPF_down}. Returns whether it was down. */
    public boolean up(SchedUnit u) {
        int tickle;
        boolean wasDown;
        lock.lock();
        try {
            wasDown = (u.pauseFlags & SchedUnit.VPF_DOWN) != 0;
            u.pauseFlags &= ~SchedUnit.VPF_DOWN;
            tickle = maybeWake(u, WakeCause.UNPAUSED);
        } finally {
            lock.unlock();
        }
        tickle(tickle);
        return wasDown;
    }

    public boolean isUp(SchedUnit u) {
        lock.lock();
        try {
            return (u.pauseFlags & SchedUnit.VPF_DOWN) == 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The unit's domain is being destroyed: it runs once more, whatever its flags, so that its thread
     * unwinds out of guest code; then it never runs again.
     */
    public void kill(SchedUnit u) {
        int tickle = -1;
        lock.lock();
        try {
            if (u.dying) {
                return;
            }
            u.dying = true;
            u.preempt = true;
            tickle = maybeWake(u, WakeCause.UNPAUSED);
        } finally {
            lock.unlock();
        }
        tickle(tickle);
    }

    /**
     * Waits until {@code u} is not on a pCPU (Xen's vcpu_sleep_sync), at most {@code timeoutNs}.
     * Returns false on timeout: a vCPU that never reaches a preemption point keeps its pCPU.
     */
    public boolean awaitOffCpu(SchedUnit u, long timeoutNs) throws InterruptedException {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a vCPU thread cannot wait for a vCPU to leave its pCPU");
        }
        long deadline = System.nanoTime() + timeoutNs;
        while (true) {
            lock.lock();
            try {
                if (u.pcpu < 0) {
                    return true;
                }
            } finally {
                lock.unlock();
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(50_000);
        }
    }

    public boolean isDying(SchedUnit u) {
        return u.dying;
    }

    /**
     * For a dying unit whose guest code swallowed the halt: takes it out of scheduling for good and
     * gives up the pCPU; the call never returns (the thread stays parked until the JVM exits).
     */
    public void retire(SchedUnit u) {
        requireOwnThread(u);
        lock.lock();
        try {
            u.removed = true;
            u.preempt = true;
        } finally {
            lock.unlock();
        }
        while (true) {
            Thread.yield();
        }
    }

    /** Sets hard affinity (null = all pCPUs); a running unit off its new set is moved at once. */
    public void setHardAffinity(SchedUnit u, BitSet cpus) {
        lock.lock();
        try {
            u.hardAffinity = cpus == null ? null : (BitSet) cpus.clone();
            policy.affinityChanged(u);
            if (u.pcpu >= 0 && !u.allowedOn(u.pcpu)) {
                u.preempt = true;
            }
        } finally {
            lock.unlock();
        }
    }

    public void setSoftAffinity(SchedUnit u, BitSet cpus) {
        lock.lock();
        try {
            u.softAffinity = cpus == null ? null : (BitSet) cpus.clone();
            policy.affinityChanged(u);
        } finally {
            lock.unlock();
        }
    }

    public BitSet hardAffinity(SchedUnit u) {
        lock.lock();
        try {
            return u.hardAffinity == null ? null : (BitSet) u.hardAffinity.clone();
        } finally {
            lock.unlock();
        }
    }

    public BitSet softAffinity(SchedUnit u) {
        lock.lock();
        try {
            return u.softAffinity == null ? null : (BitSet) u.softAffinity.clone();
        } finally {
            lock.unlock();
        }
    }

    /** The runstate of {@code u} with times up to now. */
    public RunstateInfo runstate(SchedUnit u) {
        lock.lock();
        try {
            long now = clock.now();
            long[] t = u.runstateTime.clone();
            long partial = now - u.runstateEntry;
            if (partial > 0) {
                t[u.runstate] += partial;
            }
            return new RunstateInfo(u.runstate, u.runstateEntry, t[0], t[1], t[2], t[3]);
        } finally {
            lock.unlock();
        }
    }

    /** The pCPU running {@code u}, or the one it last ran on. */
    public int processor(SchedUnit u) {
        lock.lock();
        try {
            return u.pcpu >= 0 ? u.pcpu : u.lastPcpu;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code _VPF_blocked} is set (it may still be on its pCPU, about to leave). */
    public boolean isBlocked(SchedUnit u) {
        lock.lock();
        try {
            return (u.pauseFlags & SchedUnit.VPF_BLOCKED) != 0;
        } finally {
            lock.unlock();
        }
    }

    /** Enters {@code state}, traced with the pCPU it runs on or last ran on. Under the lock. */
    private void setRunstate(SchedUnit u, int state, long now) {
        int old = u.runstate;
        if (u.changeRunstate(state, now)) {
            trace.runstate(now, u, old, state, u.pcpu >= 0 ? u.pcpu : u.lastPcpu);
        }
    }

    private void becameIneligible(SchedUnit u) {
        long now = clock.now();
        if (u.pcpu >= 0) {
            u.preempt = true;   // settle() accounts when it leaves the pCPU
            return;
        }
        if (u.queued && !u.runnable()) {
            policy.sleep(u, now);
            u.queued = false;
        }
        if (!u.runnable() && !u.exited) {
            setRunstate(u, (u.pauseFlags & SchedUnit.VPF_BLOCKED) != 0
                    ? VcpuOp.RUNSTATE_BLOCKED : VcpuOp.RUNSTATE_OFFLINE, now);
        }
    }

    /**
     * Queues {@code u} with the policy if it is eligible and not queued yet. {@code cause} is used
     * unless an earlier transition recorded a more specific one. Returns a pCPU to tickle or -1.
     */
    private int maybeWake(SchedUnit u, WakeCause cause) {
        if (!u.eligible() || u.queued) {
            if (u.runnable() && u.pcpu < 0 && u.wakeCause == null && cause != WakeCause.INTERNAL) {
                u.wakeCause = cause;   // not ready yet: report it when the continuation arrives
            }
            return -1;
        }
        WakeCause why = u.wakeCause != null ? u.wakeCause : cause;
        u.wakeCause = null;
        long now = clock.now();
        setRunstate(u, VcpuOp.RUNSTATE_RUNNABLE, now);
        u.queued = true;
        return policy.wake(u, why, now);
    }

    private void tickle(int cpu) {
        if (cpu < 0) {
            return;
        }
        Pcpu p = pcpus[cpu];
        lock.lock();
        try {
            if (!p.idle && p.current != null) {
                p.current.preempt = true;
            }
        } finally {
            lock.unlock();
        }
        p.kick();
    }

    // ------------------------------------------------------------------------------------------
    // The pCPU side
    // ------------------------------------------------------------------------------------------

    /**
     * Called by a pCPU after {@code prev} (or nothing) left it: settles prev, asks the policy, and
     * returns what to run, or null to idle.
     */
    Dispatch schedule(Pcpu p, SchedUnit prev, long ran) {
        lock.lock();
        try {
            long now = clock.now();
            boolean prevEligible = false;
            if (prev != null) {
                prevEligible = settle(p, prev, now);
            } else if (p.idle) {
                p.idle = false;
                p.idleTime += now - p.idleSince;
            }
            Decision d = policy.doSchedule(p.id, prev, prevEligible, ran, now);
            SchedUnit next = d.unit();
            if (prevEligible) {
                prev.queued = next != prev;
            }
            if (next == null || !running) {
                if (next != null) {
                    throw new IllegalStateException("policy picked " + next + " while stopping");
                }
                p.idle = true;
                p.idleSince = now;
                p.current = null;
                idleWaitNs = d.sliceNs();
                return null;
            }
            if (next.continuation == null || next.pcpu >= 0 || !next.runnable() || !next.allowedOn(p.id)) {
                throw new IllegalStateException("policy " + policy.name() + " picked " + next
                        + " which cannot run on pcpu" + p.id);
            }
            Runnable task = next.continuation;
            next.continuation = null;
            next.queued = false;
            next.pcpu = p.id;
            next.lastPcpu = p.id;
            next.preempt = next.dying;
            setRunstate(next, VcpuOp.RUNSTATE_RUNNING, now);
            next.sliceDeadline = d.sliceNs() == Decision.IDLE_FOREVER ? Long.MAX_VALUE : now + d.sliceNs();
            p.current = next;
            return new Dispatch(next, task, now, next.sliceDeadline);
        } finally {
            lock.unlock();
        }
    }

    private long idleWaitNs = Decision.IDLE_FOREVER;

    long idleWaitNs() {
        long ns = idleWaitNs;
        return ns == Decision.IDLE_FOREVER ? TimeUnit.MILLISECONDS.toNanos(100) : Math.max(ns, 1);
    }

    /** prev has left pCPU p; its continuation may have been readied meanwhile (yield, preemption). */
    private boolean settle(Pcpu p, SchedUnit prev, long now) {
        prev.pcpu = -1;
        prev.preempt = false;
        p.current = null;
        boolean eligible = prev.eligible();
        if (prev.removed) {
            policy.removeUnit(prev);
            return false;
        }
        if (eligible) {
            prev.wakeCause = null;
            setRunstate(prev, VcpuOp.RUNSTATE_RUNNABLE, now);
        } else if (prev.exited) {
            setRunstate(prev, VcpuOp.RUNSTATE_OFFLINE, now);
        } else if ((prev.pauseFlags & SchedUnit.VPF_BLOCKED) != 0) {
            setRunstate(prev, VcpuOp.RUNSTATE_BLOCKED, now);
        } else if (!prev.runnable()) {
            setRunstate(prev, VcpuOp.RUNSTATE_OFFLINE, now);
        } else {
            // Parked inside the hypervisor (a lock, a timed wait): runnable, not ready; onReady queues it.
            setRunstate(prev, VcpuOp.RUNSTATE_RUNNABLE, now);
            if (prev.wakeCause == null) {
                prev.wakeCause = WakeCause.INTERNAL;
            }
        }
        return eligible;
    }

    void sliceTimerFired(Pcpu p) {
        long rearm = -1;
        lock.lock();
        try {
            SchedUnit cur = p.current;
            if (cur != null) {
                if (clock.now() >= cur.sliceDeadline) {
                    cur.preempt = true;
                } else if (cur.sliceDeadline != Long.MAX_VALUE) {
                    rearm = cur.sliceDeadline;
                }
            }
        } finally {
            lock.unlock();
        }
        if (rearm >= 0) {
            p.sliceTimer.set(rearm);
        }
    }

    void continuationFailed(SchedUnit u, Throwable t) {
        LOG.error("vCPU {} continuation failed on its pCPU", u, t);
    }

    void pcpuStopped(Pcpu p, SchedUnit prev, long ran) {
        lock.lock();
        try {
            if (prev != null) {
                settle(p, prev, clock.now());
            }
        } finally {
            lock.unlock();
        }
        p.sliceTimer.stop();
    }

    /** Nanoseconds pCPU {@code cpu} has spent idle. */
    public long idleTime(int cpu) {
        lock.lock();
        try {
            Pcpu p = pcpus[cpu];
            return p.idleTime + (p.idle ? clock.now() - p.idleSince : 0);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the pCPU threads (units still live are simply no longer run). */
    @Override
    public void close() {
        running = false;
        for (Pcpu p : pcpus) {
            p.kick();
        }
        for (Pcpu p : pcpus) {
            try {
                p.thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (p.thread.isAlive()) {
                LOG.warn("pcpu{} did not stop: a vCPU on it never reached a preemption point", p.id);
            }
        }
    }
}
