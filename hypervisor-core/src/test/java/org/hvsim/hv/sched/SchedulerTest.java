package org.hvsim.hv.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.time.MonotonicClock;
import org.hvsim.hv.time.TimerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private final MonotonicClock clock = new MonotonicClock();
    private final TimerService timers = new TimerService(clock);
    private Scheduler sched;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger executing = new AtomicInteger();
    private final AtomicInteger maxExecuting = new AtomicInteger();

    @AfterEach
    void tearDown() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(5_000);
            assertFalse(t.isAlive(), t + " did not end");
        }
        if (sched != null) {
            sched.close();
        }
        timers.close();
    }

    private Scheduler start(int cpus, long sliceNs) {
        sched = new Scheduler(clock, new RoundRobinPolicy(sliceNs), cpus, timers);
        sched.start();
        return sched;
    }

    /** A CPU burner: counts iterations, honours preemption, marks when it executes. */
    private SchedUnit spinner(int domid, AtomicLong counter) {
        SchedUnit u = sched.createUnit(domid, 0);
        Thread t = sched.newVcpuThread(u, "d" + domid + "v0", () -> {
            while (!stop.get()) {
                int now = executing.incrementAndGet();
                maxExecuting.accumulateAndGet(now, Math::max);
                for (int i = 0; i < 1000; i++) {
                    counter.incrementAndGet();
                }
                executing.decrementAndGet();
                if (u.preemptRequested()) {
                    sched.preempted(u);
                }
            }
        });
        threads.add(t);
        sched.startUnit(u, t);
        return u;
    }

    private static void await(BooleanSupplier cond, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void twoSpinnersShareOnePcpuAndNeverRunTogether() {
        start(1, 1_000_000);
        AtomicLong a = new AtomicLong();
        AtomicLong b = new AtomicLong();
        SchedUnit ua = spinner(1, a);
        SchedUnit ub = spinner(2, b);
        // Long enough (a few thousand 1 ms slices) that the host OS preempting the pCPU thread mid-slice, which
        // charges the slice's owner for time it did not run, averages out even on a loaded machine.
        await(() -> a.get() > 50_000_000 && b.get() > 50_000_000, Duration.ofSeconds(60), "both to progress");
        assertEquals(1, maxExecuting.get(), "one pCPU ran two vCPUs at once");
        RunstateInfo ra = sched.runstate(ua);
        RunstateInfo rb = sched.runstate(ub);
        assertTrue(ra.running() > 0 && ra.runnable() > 0, ra.toString());
        assertTrue(rb.running() > 0 && rb.runnable() > 0, rb.toString());
        double share = (double) ra.running() / (ra.running() + rb.running());
        assertTrue(share > 0.3 && share < 0.7, "round robin share " + share);
    }

    @Test
    void atMostOneVcpuPerPcpuWithTwoPcpus() {
        start(2, 500_000);
        AtomicLong[] c = new AtomicLong[5];
        for (int i = 0; i < c.length; i++) {
            c[i] = new AtomicLong();
            spinner(i + 1, c[i]);
        }
        await(() -> {
            for (AtomicLong x : c) {
                if (x.get() < 2_000_000) {
                    return false;
                }
            }
            return true;
        }, Duration.ofSeconds(30), "all five to progress");
        assertTrue(maxExecuting.get() <= 2, "more vCPUs executing than pCPUs: " + maxExecuting.get());
    }

    @Test
    void blockedVcpuWakesOnUnblockAndAccountsBlockedTime() throws InterruptedException {
        start(1, 1_000_000);
        AtomicBoolean event = new AtomicBoolean();
        AtomicInteger wakeups = new AtomicInteger();
        SchedUnit u = sched.createUnit(1, 0);
        Thread t = sched.newVcpuThread(u, "d1v0", () -> {
            while (!stop.get()) {
                sched.block(u, () -> event.get() || stop.get());
                if (event.getAndSet(false)) {
                    wakeups.incrementAndGet();
                }
            }
        });
        threads.add(t);
        sched.startUnit(u, t);
        try {
            await(() -> sched.runstate(u).state() == VcpuOp.RUNSTATE_BLOCKED, Duration.ofSeconds(5), "vCPU to block");
            for (int i = 1; i <= 50; i++) {
                event.set(true);
                sched.unblock(u);
                int want = i;
                await(() -> wakeups.get() >= want && sched.runstate(u).state() == VcpuOp.RUNSTATE_BLOCKED,
                        Duration.ofSeconds(5), "wakeup " + i);
            }
            RunstateInfo r = sched.runstate(u);
            assertTrue(r.blocked() > 0, r.toString());
            assertTrue(r.running() > 0, r.toString());
        } finally {
            stop.set(true);
            sched.unblock(u);
        }
    }

    @Test
    void pausedVcpuMakesNoProgressUntilUnpaused() throws InterruptedException {
        start(1, 1_000_000);
        AtomicLong a = new AtomicLong();
        SchedUnit u = spinner(1, a);
        await(() -> a.get() > 100_000, Duration.ofSeconds(5), "spinner to run");
        sched.pause(u);
        assertTrue(sched.awaitOffCpu(u, Duration.ofSeconds(5).toNanos()));
        long frozen = a.get();
        long until = System.nanoTime() + 50_000_000;
        while (System.nanoTime() < until) {
            assertEquals(frozen, a.get(), "paused vCPU ran");
        }
        assertEquals(VcpuOp.RUNSTATE_OFFLINE, sched.runstate(u).state());
        sched.unpause(u);
        await(() -> a.get() > frozen + 100_000, Duration.ofSeconds(5), "spinner to resume");
    }

    @Test
    void downedVcpuStopsAndResumesWhereItWasWhenUp() {
        start(1, 1_000_000);
        AtomicLong a = new AtomicLong();
        SchedUnit u = spinner(1, a);
        await(() -> a.get() > 100_000, Duration.ofSeconds(5), "spinner to run");
        assertTrue(sched.down(u));
        await(() -> sched.runstate(u).state() == VcpuOp.RUNSTATE_OFFLINE, Duration.ofSeconds(5), "vCPU to go offline");
        long frozen = a.get();
        assertFalse(sched.isUp(u));
        assertTrue(sched.up(u));
        await(() -> a.get() > frozen + 100_000, Duration.ofSeconds(5), "spinner to resume");
    }

    @Test
    void onlyAUnitsOwnThreadMayBlockIt() {
        start(1, 1_000_000);
        SchedUnit u = sched.createUnit(1, 0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> sched.block(u, () -> false));
    }

    @Test
    void hardAffinityKeepsVcpuOnItsPcpu() {
        start(2, 500_000);
        AtomicLong a = new AtomicLong();
        SchedUnit u = sched.createUnit(1, 0);
        BitSet only1 = new BitSet();
        only1.set(1);
        sched.setHardAffinity(u, only1);
        AtomicInteger wrongCpu = new AtomicInteger();
        Thread t = sched.newVcpuThread(u, "d1v0", () -> {
            while (!stop.get()) {
                if (sched.processor(u) != 1) {
                    wrongCpu.incrementAndGet();
                }
                a.incrementAndGet();
                if (u.preemptRequested()) {
                    sched.preempted(u);
                }
            }
        });
        threads.add(t);
        sched.startUnit(u, t);
        await(() -> a.get() > 1_000_000, Duration.ofSeconds(10), "pinned vCPU to run");
        assertEquals(0, wrongCpu.get());
    }

    @Test
    void killedBlockedVcpuRunsOnceToUnwind() throws InterruptedException {
        start(1, 1_000_000);
        SchedUnit u = sched.createUnit(1, 0);
        AtomicBoolean unwound = new AtomicBoolean();
        Thread t = sched.newVcpuThread(u, "d1v0", () -> {
            sched.block(u, () -> false);
            if (sched.isDying(u)) {
                unwound.set(true);
            }
        });
        threads.add(t);
        sched.startUnit(u, t);
        await(() -> sched.runstate(u).state() == VcpuOp.RUNSTATE_BLOCKED, Duration.ofSeconds(5), "vCPU to block");
        sched.kill(u);
        t.join(5_000);
        assertTrue(unwound.get());
        assertFalse(t.isAlive());
        sched.removeUnit(u);
    }
}
