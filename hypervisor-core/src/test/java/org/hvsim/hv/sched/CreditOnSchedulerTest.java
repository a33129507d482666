package org.hvsim.hv.sched;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.hv.sched.credit.CreditPolicy;
import org.hvsim.hv.time.MonotonicClock;
import org.hvsim.hv.time.TimerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Smoke test: the credit policy under the real, threaded {@link Scheduler}. */
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
