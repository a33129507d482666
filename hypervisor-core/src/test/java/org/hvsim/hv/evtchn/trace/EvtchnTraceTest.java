package org.hvsim.hv.evtchn.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.hv.trace.StripedTrace;
import org.hvsim.hv.trace.TraceStripe;
import org.junit.jupiter.api.Test;

/** The trace on its own: a manual clock, records made by hand, collection passes run by the test. */
class EvtchnTraceTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicLong clockReads = new AtomicLong();
    private final Clock wall = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L, 5), ZoneOffset.UTC);
    private final EvtchnTrace trace = new EvtchnTrace(() -> {
        clockReads.incrementAndGet();
        return now.get();
    }, wall, id -> switch (id) {
        case 7 -> "xenstore";
        case 4094 -> "frontend";
        default -> null;
    });

    private void send(int domid, int port) {
        now.incrementAndGet();
        trace.record(EvtchnTraceRecord.KIND_SEND, domid, port, 1, EvtchnTraceRecord.SEND_DELIVERED, 3, 4, 0, 0, 7);
    }

    /** An unstarted thread whose own stripe is {@code stripe}. */
    private static Thread onStripe(int stripe, Runnable body) {
        while (true) {
            Thread t = Thread.ofPlatform().unstarted(body);
            if ((t.threadId() & (EvtchnTrace.STRIPES - 1)) == stripe) {
                return t;
            }
        }
    }

    private static int ownStripe() {
        return (int) (Thread.currentThread().threadId() & (EvtchnTrace.STRIPES - 1));
    }

    @Test
    void recordsNothingWhileDisabledAndDoesNotReadTheClock() {
        assertFalse(trace.enabled());
        send(1, 5);
        assertEquals(0, clockReads.get(), "a disabled trace costs one flag read");
        List<TraceBatch> batches = TraceProbe.capture(trace, () -> { });
        assertEquals(List.of(), batches, "no events, nothing lost: no batch at all");
    }

    @Test
    void aRecordKeepsEveryFieldAndTheBatchTheTextOfItsLabelsAndRemoteLabelsAndClockOffset() {
        List<TraceBatch> batches = TraceProbe.capture(trace, () -> {
            assertTrue(trace.enabled());
            now.set(42_000);
            trace.record(EvtchnTraceRecord.KIND_SEND, 0x7fef, 4095, 31, EvtchnTraceRecord.SEND_TO_XEN, 0x7fee, 4094,
                    255, 4094, 4095);
            trace.record(EvtchnTraceRecord.KIND_BIND, 2, 9, 0, 5, 1, 3, 0, 0, 7);
            trace.record(EvtchnTraceRecord.KIND_UNMASK, 3, 9, 0, 0, 0, 0, 0, 0, 0);
            now.set(50_000);
        });
        assertEquals(1, batches.size());
        TraceBatch b = batches.getFirst();
        assertEquals(3, b.events());
        assertEquals(0, b.dropped());
        assertEquals(List.of(
                new EvtchnTraceRecord(42_000, EvtchnTraceRecord.KIND_SEND, 0x7fef, 4095, 31,
                        EvtchnTraceRecord.SEND_TO_XEN, 0x7fee, 4094, 255, 4094, 4095),
                new EvtchnTraceRecord(42_000, EvtchnTraceRecord.KIND_BIND, 2, 9, 0, 5, 1, 3, 0, 0, 7),
                new EvtchnTraceRecord(42_000, EvtchnTraceRecord.KIND_UNMASK, 3, 9, 0, 0, 0, 0, 0, 0, 0)),
                TraceProbe.records(batches));
        assertEquals(Map.of(7, "xenstore", 4094, "frontend"), b.labels(),
                "the ids used, remote ones too, and only those with a text");
        assertEquals(1_700_000_000_000_000_005L - 50_000, b.clockOffsetUnixNanos());
    }

    @Test
    void batchesAreTimeOrderedAcrossThreadsAndHoldAtMostMaxBatchEvents() throws Exception {
        AtomicLong clock = new AtomicLong();
        EvtchnTrace shared = new EvtchnTrace(clock::incrementAndGet, wall, id -> null);
        int threads = EvtchnTrace.STRIPES;
        int each = EvtchnTrace.STRIPE_EVENTS; // each thread's own stripe's whole budget
        List<TraceBatch> batches = TraceProbe.capture(shared, () -> {
            List<Thread> recorders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int domid = t;
                recorders.add(onStripe(t, () -> {
                    for (int i = 0; i < each; i++) {
                        shared.record(EvtchnTraceRecord.KIND_SEND, domid, i % 4096, 0, 0, 0, 0, 0, 0, 0);
                    }
                }));
            }
            recorders.forEach(Thread::start);
            for (Thread r : recorders) {
                try {
                    r.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });
        List<EvtchnTraceRecord> records = TraceProbe.records(batches);
        assertEquals(threads * each, records.size());
        for (TraceBatch b : batches) {
            assertTrue(b.events() <= EvtchnTrace.MAX_BATCH_EVENTS, "batch of " + b.events());
            assertEquals(0, b.dropped());
        }
        assertEquals(EvtchnTrace.STRIPES * EvtchnTrace.STRIPE_EVENTS <= EvtchnTrace.MAX_BATCH_EVENTS
                        ? List.of(threads * each)
                        : List.of(EvtchnTrace.MAX_BATCH_EVENTS, threads * each - EvtchnTrace.MAX_BATCH_EVENTS),
                batches.stream().map(TraceBatch::events).toList());
        for (int i = 1; i < records.size(); i++) {
            assertTrue(records.get(i - 1).timeNs() < records.get(i).timeNs(), "out of order at " + i);
        }
    }

    @Test
    void pastItsStripesBudgetARecorderOnlyCountsDropsWithoutReadingTheClockAndOthersStillRecord() {
        int other = (ownStripe() + 1) & (EvtchnTrace.STRIPES - 1);
        List<TraceBatch> batches = TraceProbe.capture(trace, () -> {
            for (int i = 0; i < EvtchnTrace.STRIPE_EVENTS; i++) {
                send(1, 5);
            }
            assertEquals(EvtchnTrace.STRIPE_EVENTS, clockReads.get(), "one clock read a record");
            for (int i = 0; i < 3; i++) {
                send(1, 6);
            }
            assertEquals(EvtchnTrace.STRIPE_EVENTS, clockReads.get(), "beyond the budget the clock is not read");
            runToEnd(onStripe(other, () -> send(2, 7)));
        });
        assertEquals(1, batches.size(), (EvtchnTrace.STRIPE_EVENTS + 1) + " events fit one batch");
        assertEquals(3, batches.getFirst().dropped(), "the full stripe's recorder dropped, no other stripe taken");
        List<EvtchnTraceRecord> records = TraceProbe.records(batches);
        assertEquals(EvtchnTrace.STRIPE_EVENTS + 1, records.size());
        assertEquals(0, records.stream().filter(r -> r.port() == 6).count(), "the dropped ones");
        assertEquals(1, records.stream().filter(r -> r.domid() == 2 && r.port() == 7).count(),
                "a thread using another stripe has its own budget");
    }

    @Test
    void aCollectionPassEmptiesTheStripesReportsTheirDropsOnceAndRestoresTheBudget() {
        List<TraceBatch> first = new ArrayList<>();
        List<TraceBatch> second = TraceProbe.capture(trace, () -> {
            for (int i = 0; i < EvtchnTrace.STRIPE_EVENTS + 2; i++) {
                send(1, 5);
            }
            trace.flush(TraceProbe.scratch(), first::add);
            send(1, 5);
            trace.flush(TraceProbe.scratch(), first::add);
        });
        assertEquals(2, first.size());
        assertEquals(EvtchnTrace.STRIPE_EVENTS, first.getFirst().events());
        assertEquals(2, first.getFirst().dropped());
        assertEquals(1, first.getLast().events(), "the stripe was emptied by the pass: room again");
        assertEquals(0, first.getLast().dropped(), "the loss is reported once");
        assertEquals(List.of(), second, "nothing left for the final pass");
    }

    @Test
    void recordNeverWaitsForAStripeAnotherThreadHolds() throws Exception {
        List<ReentrantLock> locks = stripeLocks(trace);

        Thread recorder = Thread.ofPlatform().unstarted(() -> send(1, 5));
        int first = (int) (recorder.threadId() & (EvtchnTrace.STRIPES - 1));
        List<TraceBatch> oneHeld = TraceProbe.capture(trace,
                () -> holding(List.of(locks.get(first)), () -> runToEnd(recorder)));
        assertEquals(1, TraceProbe.records(oneHeld).size(), "recorded into another stripe");
        assertEquals(0, oneHeld.getFirst().dropped());

        List<TraceBatch> allHeld = TraceProbe.capture(trace, () -> holding(locks,
                () -> runToEnd(Thread.ofPlatform().unstarted(() -> {
                    send(1, 5);
                    send(1, 6);
                }))));
        assertEquals(1, allHeld.size(), "a batch of losses alone");
        assertEquals(0, allHeld.getFirst().events());
        assertEquals(2, allHeld.getFirst().dropped(), "every stripe busy: dropped, not waited for");
    }

    @Test
    void stopDiscardsWhatWasNotCollectedAndStartAgainRecordsAfresh() {
        synchronized (trace.stripes()) { // holds the collector off
            trace.start(batch -> { });
            for (int i = 0; i < EvtchnTrace.STRIPE_EVENTS + 5; i++) {
                send(1, 5);
            }
            trace.stop();
            assertFalse(trace.enabled());
            send(1, 6);
        }
        List<TraceBatch> batches = TraceProbe.capture(trace, () -> send(2, 7));
        List<EvtchnTraceRecord> records = TraceProbe.records(batches);
        assertEquals(1, records.size(), "only what was recorded since the new start, with the budget whole: "
                + records);
        assertEquals(2, records.getFirst().domid());
        assertEquals(7, records.getFirst().port());
        assertEquals(0, batches.getFirst().dropped(), "the previous session's losses are not reported");
    }

    @Test
    void stopThenStartGivesBatchesToTheNewSinkOnTheCollectorThread() {
        List<TraceBatch> old = java.util.Collections.synchronizedList(new ArrayList<>());
        List<TraceBatch> fresh = java.util.Collections.synchronizedList(new ArrayList<>());
        trace.start(old::add);
        trace.stop();
        trace.start(fresh::add);
        try {
            send(3, 9);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (fresh.isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
        } finally {
            trace.stop();
        }
        assertEquals(1, TraceProbe.records(fresh).size());
        assertEquals(List.of(), old);
    }

    @Test
    void aSinkThatThrowsLosesItsBatchButNotTheTrace() {
        List<TraceBatch> later = new ArrayList<>();
        TraceProbe.capture(trace, () -> {
            send(1, 5);
            trace.flush(TraceProbe.scratch(), batch -> {
                throw new IllegalStateException("sink failed");
            });
            send(1, 6);
            trace.flush(TraceProbe.scratch(), later::add);
        });
        assertEquals(6, TraceProbe.records(later).getFirst().port());
    }

    /** Starts {@code recorder} and waits (10 s at most) for it to end: it must not block. */
    private static void runToEnd(Thread recorder) {
        recorder.start();
        try {
            assertTrue(recorder.join(Duration.ofSeconds(10)), "record() blocked");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code body} while another thread holds {@code locks}. */
    private static void holding(List<ReentrantLock> locks, Runnable body) {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            locks.forEach(ReentrantLock::lock);
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                locks.forEach(ReentrantLock::unlock);
            }
        });
        try {
            held.await();
            body.run();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            release.countDown();
            try {
                holder.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<ReentrantLock> stripeLocks(EvtchnTrace trace) throws ReflectiveOperationException {
        Field stripesField = StripedTrace.class.getDeclaredField("stripes");
        stripesField.setAccessible(true);
        Field lockField = TraceStripe.class.getDeclaredField("lock");
        lockField.setAccessible(true);
        List<ReentrantLock> locks = new ArrayList<>();
        for (TraceStripe s : (TraceStripe[]) stripesField.get(trace.stripes())) {
            locks.add((ReentrantLock) lockField.get(s));
        }
        return locks;
    }
}
