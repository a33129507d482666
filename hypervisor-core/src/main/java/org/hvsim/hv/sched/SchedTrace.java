package org.hvsim.hv.sched;

import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.hvsim.hv.abi.sched.SchedTraceRecord;
import org.hvsim.hv.trace.RawBatch;
import org.hvsim.hv.trace.StripedTrace;

/**
 * The scheduler trace (Xen's TRC_SCHED_* xentrace records): runstate changes with the pCPU they
 * happen on, BOOSTs, credit after each accounting period, timer interrupts and event upcalls, in the
 * layout of {@link SchedTraceRecord}. Off until a consumer {@link #start starts} it; while off, a
 * recording site pays one volatile read.
 *
 * <p>Runstate, boost and accounting records are made under the scheduler lock with the time the
 * scheduler read under it, made strictly increasing (a record that would carry the time of the one
 * before it gets one ns more), so that sorting by time gives the order the scheduler made its
 * decisions in, whichever batches the records arrive in.
 *
 * <p>Threads: recorders on any thread (the scheduler's callers under its lock, vCPU threads for
 * upcalls, timer threads for timers); the consumer on the trace's collector thread.
 */
public final class SchedTrace {
    /** Records per stripe per collection: 204,800 a second for each thread recording. */
    static final int STRIPE_EVENTS = 4096;
    /** Records per batch, so that a batch fits a privcmd frame (24 bytes each). */
    public static final int MAX_BATCH_EVENTS = 2048;

    /** A trace nobody starts: for policies run without a scheduler (the simulator, tests). */
    public static final SchedTrace OFF = new SchedTrace(() -> 0, Clock.systemUTC());

    private final StripedTrace trace;
    /** The time of the last record made under the scheduler lock; guarded by that lock. */
    private long lastLockedTime = Long.MIN_VALUE;

    public SchedTrace(LongSupplier nanoClock, Clock wallClock) {
        this.trace = new StripedTrace("sched-trace", STRIPE_EVENTS, MAX_BATCH_EVENTS, nanoClock, wallClock);
    }

    public boolean enabled() {
        return trace.enabled();
    }

    /** Starts recording and sending batches to {@code consumer} (replacing the previous one). */
    public void start(Consumer<RawBatch> consumer) {
        if (this == OFF) {
            throw new IllegalStateException("SchedTrace.OFF is never started");
        }
        trace.start(consumer);
    }

    /** Stops recording; what was not collected yet is discarded. Idempotent. */
    public void stop() {
        trace.stop();
    }

    /** The buffers (tests run collection passes on them). */
    public StripedTrace buffers() {
        return trace;
    }

    /** A time for a record made under the scheduler lock at {@code now}: after every earlier one. */
    private long lockedTime(long now) {
        long t = now > lastLockedTime ? now : lastLockedTime + 1;
        lastLockedTime = t;
        return t;
    }

    void runstate(long now, SchedUnit u, int oldState, int newState, int pcpu) {
        if (trace.enabled()) {
            trace.record(lockedTime(now), SchedTraceRecord.word1(SchedTraceRecord.KIND_RUNSTATE, pcpu, u.domid(), u.vcpuId()),
                    SchedTraceRecord.runstateArg(oldState, newState));
        }
    }

    /** A policy boosted {@code u} at {@code now} (under the scheduler lock). */
    public void boost(long now, SchedUnit u) {
        if (trace.enabled()) {
            trace.record(lockedTime(now), SchedTraceRecord.word1(SchedTraceRecord.KIND_BOOST, SchedTraceRecord.NO_PCPU,
                    u.domid(), u.vcpuId()), 0);
        }
    }

    /** A policy's accounting left {@code u} with {@code credit} and {@code priority} (under the scheduler lock). */
    public void account(long now, SchedUnit u, int priority, int credit) {
        if (trace.enabled()) {
            trace.record(lockedTime(now), SchedTraceRecord.word1(SchedTraceRecord.KIND_ACCOUNT, SchedTraceRecord.NO_PCPU,
                    u.domid(), u.vcpuId()), SchedTraceRecord.accountArg(priority, credit));
        }
    }

    /** The timer of vCPU {@code vcpu} of {@code domid} fired. */
    public void timer(int domid, int vcpu) {
        if (trace.enabled()) {
            trace.record(SchedTraceRecord.word1(SchedTraceRecord.KIND_TIMER, SchedTraceRecord.NO_PCPU, domid, vcpu), 0);
        }
    }

    /** {@code u} is entering its event callback on its pCPU (on its own thread). */
    public void upcall(SchedUnit u) {
        if (trace.enabled()) {
            int pcpu = u.pcpu;   // a racy read of a hint: the pCPU it runs on
            trace.record(SchedTraceRecord.word1(SchedTraceRecord.KIND_UPCALL,
                    pcpu < 0 ? SchedTraceRecord.NO_PCPU : pcpu, u.domid(), u.vcpuId()), 0);
        }
    }
}
