package org.hvsim.hv.evtchn.trace;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event channel trace: while a watcher is attached ({@link #start}), every bind, close, send,
 * delivery, masked edge and unmask is recorded; a collector thread hands the records to the watcher
 * in time-ordered batches every {@value #FLUSH_INTERVAL_MS} ms. While nobody watches, recording costs
 * the senders one volatile read.
 *
 * <p>Recording never waits: a recorder writes into one of {@value #STRIPES} bounded stripes (its own
 * by thread, or another when a thread holds that one); when its stripe is full or all are busy, the
 * record is dropped and counted, and the next batch reports the count. A stripe's size is a budget of
 * {@value #STRIPE_EVENTS} records per collection ({@value #FLUSH_INTERVAL_MS} ms) for the threads
 * using it: a sender beyond the budget pays one flag read and a counter add, so that a watcher costs
 * a busy host little, and the watcher learns how much it missed (the per-port counters, which lose
 * nothing, give exact rates).
 *
 * <p>Threads: {@link #record} on any thread (the event channel paths, under their channel locks);
 * {@link #start} and {@link #stop} on any thread; the sink is called on the collector thread.
 */
public final class EvtchnTrace {
    static final int STRIPES = 8;
    /** Records per stripe per collection: 12,800 a second for each thread recording. */
    static final int STRIPE_EVENTS = 256;
    /** Records per batch, so that a batch fits a privcmd frame (24 bytes each). */
    public static final int MAX_BATCH_EVENTS = 2048;
    static final long FLUSH_INTERVAL_MS = 20;
    /** Bits of a record's index in a sort key: room for every stripe's records. */
    private static final int INDEX_BITS = 17;

    private static final Logger LOG = LoggerFactory.getLogger(EvtchnTrace.class);

    private final LongSupplier nanoClock;
    private final Clock wallClock;
    private final IntFunction<String> labelText;
    private final TraceStripe[] stripes = new TraceStripe[STRIPES];
    private volatile boolean enabled;
    /** Guarded by this object. */
    private Thread collector;
    /** Guarded by this object; read by the collector under it. */
    private TraceSink sink;

    /**
     * @param nanoClock the hypervisor's clock, in ns
     * @param wallClock for the Unix time of the hypervisor clock's zero
     * @param labelText the text of a label id, or null
     */
    public EvtchnTrace(LongSupplier nanoClock, Clock wallClock, IntFunction<String> labelText) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.labelText = Objects.requireNonNull(labelText, "labelText");
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new TraceStripe(STRIPE_EVENTS);
        }
    }

    /** Whether records are being taken: callers test this before computing a record's fields. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Whether a record from this thread would be kept now: the trace is on and this thread's stripe has
     * budget left. When the budget is spent, counts the drop here and answers false, so that a caller
     * on a hot path skips even gathering the record's fields.
     */
    public boolean admit() {
        if (!enabled) {
            return false;
        }
        TraceStripe own = stripes[(int) Thread.currentThread().threadId() & (STRIPES - 1)];
        if (own.isFull()) {
            own.countDrop();
            return false;
        }
        return true;
    }

    /** Records one event, if enabled; never waits. Fields as in {@link EvtchnTraceRecord}. */
    public void record(int kind, int domid, int port, int vcpu, int status, int remoteDomid, int remotePort,
            int virq, int remoteLabelId, int labelId) {
        if (!enabled) {
            return;
        }
        int first = (int) Thread.currentThread().threadId();
        TraceStripe own = stripes[first & (STRIPES - 1)];
        if (own.isFull()) {
            own.countDrop();
            return;
        }
        long w0 = nanoClock.getAsLong();
        long w1 = EvtchnTraceRecord.word1(kind, domid, port, vcpu, status);
        long w2 = EvtchnTraceRecord.word2(remoteDomid, remotePort, virq, remoteLabelId, labelId);
        for (int i = 0; i < STRIPES; i++) {
            TraceStripe stripe = stripes[(first + i) & (STRIPES - 1)];
            int outcome = stripe.tryPut(w0, w1, w2);
            if (outcome == TraceStripe.PUT) {
                return;
            }
            if (outcome == TraceStripe.FULL) {
                stripe.countDrop();
                return;
            }
        }
        own.countDrop();
    }

    /**
     * Starts recording and sending batches to {@code newSink} (replacing the previous sink, if any).
     */
    public synchronized void start(TraceSink newSink) {
        sink = Objects.requireNonNull(newSink, "sink");
        enabled = true;
        if (collector == null) {
            collector = Thread.ofPlatform().daemon().name("evtchn-trace").start(this::collect);
            LOG.info("event channel trace started");
        }
    }

    /** Stops recording; records not yet collected are discarded. Idempotent. */
    public synchronized void stop() {
        enabled = false;
        sink = null;
        for (TraceStripe stripe : stripes) {
            stripe.clear();
        }
        if (collector != null) {
            LockSupport.unpark(collector);
            collector = null;
            LOG.info("event channel trace stopped");
        }
    }

    private void collect() {
        long[] scratch = new long[STRIPES * STRIPE_EVENTS * EvtchnTraceRecord.WORDS];
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS));
            TraceSink target;
            synchronized (this) {
                if (collector != Thread.currentThread()) {
                    return;
                }
                target = sink;
            }
            flush(scratch, target);
        }
    }

    /** One collection pass: everything recorded so far, sorted by time, to {@code target}. */
    void flush(long[] scratch, TraceSink target) {
        int end = 0;
        long lost = 0;
        for (TraceStripe stripe : stripes) {
            end = stripe.drainTo(scratch, end);
            lost += stripe.takeDropped();
        }
        int events = end / EvtchnTraceRecord.WORDS;
        if (events == 0 && lost == 0) {
            return;
        }
        long[] sorted = sortByTime(scratch, events);
        long offset = unixOffsetNanos();
        for (int from = 0; from < events || lost > 0; from += MAX_BATCH_EVENTS) {
            int to = Math.min(events, from + MAX_BATCH_EVENTS);
            long[] words = Arrays.copyOfRange(sorted, from * EvtchnTraceRecord.WORDS, to * EvtchnTraceRecord.WORDS);
            try {
                target.accept(new TraceBatch(words, lost, offset, labels(words)));
            } catch (RuntimeException e) {
                LOG.warn("the event channel trace sink failed; batch dropped", e);
            }
            lost = 0;
            if (to == events) {
                break;
            }
        }
    }

    private long unixOffsetNanos() {
        Instant now = wallClock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - nanoClock.getAsLong();
    }

    private Map<Integer, String> labels(long[] words) {
        Map<Integer, String> labels = new HashMap<>();
        for (int i = 2; i < words.length; i += EvtchnTraceRecord.WORDS) {
            addLabel(labels, (int) words[i] & 0xfff);
            addLabel(labels, (int) (words[i] >>> 12) & 0xfff);
        }
        return labels;
    }

    private void addLabel(Map<Integer, String> labels, int id) {
        if (id != 0 && !labels.containsKey(id)) {
            String text = labelText.apply(id);
            if (text != null) {
                labels.put(id, text);
            }
        }
    }

    /** The first {@code events} records of {@code words}, in time order (stable across stripes). */
    private static long[] sortByTime(long[] words, int events) {
        long[] sorted = new long[events * EvtchnTraceRecord.WORDS];
        if (events == 0) {
            return sorted;
        }
        long first = Long.MAX_VALUE;
        boolean ordered = true;
        for (int i = 0; i < events; i++) {
            long t = words[i * EvtchnTraceRecord.WORDS];
            first = Math.min(first, t);
            ordered &= i == 0 || t >= words[(i - 1) * EvtchnTraceRecord.WORDS];
        }
        if (ordered) {
            System.arraycopy(words, 0, sorted, 0, sorted.length);
            return sorted;
        }
        // Sort keys of (time since the earliest record, index): a primitive sort, stable by index.
        long[] keys = new long[events];
        for (int i = 0; i < events; i++) {
            keys[i] = (words[i * EvtchnTraceRecord.WORDS] - first) << INDEX_BITS | i;
        }
        Arrays.sort(keys);
        for (int i = 0; i < events; i++) {
            int from = (int) (keys[i] & ((1L << INDEX_BITS) - 1));
            System.arraycopy(words, from * EvtchnTraceRecord.WORDS, sorted, i * EvtchnTraceRecord.WORDS,
                    EvtchnTraceRecord.WORDS);
        }
        return sorted;
    }
}
