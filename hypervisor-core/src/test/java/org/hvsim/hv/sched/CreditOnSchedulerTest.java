package org.hvsim.hv.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.abi.sched.SchedTraceRecord;
import org.hvsim.hv.sched.credit.CreditPolicy;
import org.hvsim.hv.trace.RawBatch;
import org.hvsim.hv.time.MonotonicClock;
import org.hvsim.hv.time.TimerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The credit policy under the real, threaded {@link Scheduler}, and the scheduler trace it makes. */
class CreditOnSchedulerTest {
    private final MonotonicClock clock = new MonotonicClock();
    private final TimerService timers = new TimerService(clock);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger executing = new AtomicInteger();
    private final AtomicInteger maxExecuting = new AtomicInteger();
    private Scheduler sched;

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

    @Test
    void fiveSpinnersOnTwoPcpusAllProgressAndAtMostTwoRunAtOnce() {
        CreditPolicy credit = new CreditPolicy();
        sched = new Scheduler(clock, credit, 2, timers);
        credit.setParams(2, 1000);   // short slices: every spinner gets turns quickly
        sched.start();
        AtomicLong[] counters = new AtomicLong[5];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new AtomicLong();
            spinner(i + 1, counters[i]);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!allAbove(counters, 2_000_000)) {
            assertTrue(System.nanoTime() < deadline, "not every spinner progressed in 30 s");
            Thread.onSpinWait();
        }
        assertTrue(maxExecuting.get() <= 2, "more vCPUs executing than pCPUs: " + maxExecuting.get());
    }

    @Test
    void theTraceShowsEachPcpuRunningOneVcpuAtATimeWithBoostsAndAccounting() {
        CreditPolicy credit = new CreditPolicy();
        sched = new Scheduler(clock, credit, 2, timers);
        credit.setParams(10, 1000);
        sched.start();
        List<RawBatch> batches = Collections.synchronizedList(new ArrayList<>());
        sched.trace().start(batches::add);
        AtomicLong[] counters = new AtomicLong[3];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new AtomicLong();
            spinner(i + 1, counters[i]);
        }
        AtomicLong wakeups = new AtomicLong();
        blocker(9, wakeups);
        List<SchedTraceRecord> records;
        long deadline = System.nanoTime() + 30_000_000_000L;
        try {
            while (wakeups.get() < 200 || !allAbove(counters, 1_000_000) || !sawAccounting(batches)) {
                assertTrue(System.nanoTime() < deadline, "not enough traced activity in 30 s");
                Thread.onSpinWait();
            }
        } finally {
            sched.trace().stop();
        }
        records = decode(batches);

        String[] running = new String[2];
        int switches = 0;
        int boosts = 0;
        long last = Long.MIN_VALUE;
        for (SchedTraceRecord r : records) {
            String who = "d" + r.domid() + "v" + r.vcpu();
            if (r.kind() == SchedTraceRecord.KIND_RUNSTATE) {
                assertTrue(r.timeNs() > last, "scheduler records strictly ordered in time: " + r);
                last = r.timeNs();
                if (r.newState() == VcpuOp.RUNSTATE_RUNNING) {
                    assertTrue(running[r.pcpu()] == null, "pcpu" + r.pcpu() + " starts " + who + " while running "
                            + running[r.pcpu()]);
                    running[r.pcpu()] = who;
                    switches++;
                } else if (r.oldState() == VcpuOp.RUNSTATE_RUNNING) {
                    assertEquals(who, running[r.pcpu()], "pcpu" + r.pcpu() + " leaves a vCPU it was not running");
                    running[r.pcpu()] = null;
                }
            } else if (r.kind() == SchedTraceRecord.KIND_BOOST) {
                assertEquals(9, r.domid(), "only the vCPU that blocks and wakes is boosted");
                boosts++;
            }
        }
        assertTrue(switches > 100, "context switches traced: " + switches);
        assertTrue(boosts > 10, "boosts traced: " + boosts);
    }

    private static boolean sawAccounting(List<RawBatch> batches) {
        synchronized (batches) {
            for (RawBatch b : batches) {
                for (int i = 0; i < b.words().length; i += SchedTraceRecord.WORDS) {
                    if ((int) (b.words()[i + 1] >>> 56) == SchedTraceRecord.KIND_ACCOUNT) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** Every record of {@code batches}, sorted by time (stable: equal times keep their arrival order). */
    private static List<SchedTraceRecord> decode(List<RawBatch> batches) {
        List<SchedTraceRecord> out = new ArrayList<>();
        synchronized (batches) {
            for (RawBatch b : batches) {
                long[] w = b.words();
                for (int i = 0; i < w.length; i += SchedTraceRecord.WORDS) {
                    out.add(SchedTraceRecord.decode(w[i], w[i + 1], w[i + 2]));
                }
            }
        }
        out.sort(Comparator.comparingLong(SchedTraceRecord::timeNs));
        return out;
    }

    /** A vCPU that blocks until another thread wakes it, every 200 µs or so. */
    private void blocker(int domid, AtomicLong wakeups) {
        SchedUnit u = sched.createUnit(domid, 0);
        AtomicBoolean event = new AtomicBoolean();
        Thread t = sched.newVcpuThread(u, "d" + domid + "v0", () -> {
            while (!stop.get()) {
                sched.block(u, () -> event.get() || stop.get());
                event.set(false);
                wakeups.incrementAndGet();
            }
        });
        threads.add(t);
        sched.startUnit(u, t);
        Thread waker = Thread.ofPlatform().daemon().start(() -> {
            while (!stop.get()) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                event.set(true);
                sched.unblock(u);
            }
            sched.unblock(u);   // the blocker sees stop and ends
        });
        threads.add(waker);
    }

    private static boolean allAbove(AtomicLong[] counters, long n) {
        for (AtomicLong c : counters) {
            if (c.get() < n) {
                return false;
            }
        }
        return true;
    }

    private void spinner(int domid, AtomicLong counter) {
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
    }
}
