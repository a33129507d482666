package org.hvsim.hv.trace;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trace of three-word records: while a consumer is attached ({@link #start}), recorders put
 * records into {@value #STRIPES} bounded stripes without waiting, and a collector thread hands them
 * to the consumer in time-ordered batches every {@value #FLUSH_INTERVAL_MS} ms. While nobody is
 * attached, recording costs one volatile read.
 *
 * <p>A recorder writes into its own stripe (by thread) or, when a thread holds that one, another;
 * when its stripe is full or all are busy, the record is dropped and counted, and the next batch
 * reports the count. A stripe's size is a budget of records per collection for the threads using it:
 * past the budget a recorder pays one flag read and a counter add.
 *
 * <p>Threads: {@link #record} and {@link #admit} on any thread; {@link #start} and {@link #stop} on
 * any thread; the consumer is called on the collector thread. The collector takes this object's
 * monitor before each pass (a test holding it runs passes itself with {@link #flush}).
 */
public final class StripedTrace {
    /** Words per record; word 0 is the record's time in ns on the trace's clock. */
    public static final int WORDS = 3;
    public static final int STRIPES = 8;
    static final long FLUSH_INTERVAL_MS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(StripedTrace.class);

    private final String name;
    private final int stripeEvents;
    private final int maxBatchEvents;
    private final LongSupplier nanoClock;
    private final Clock wallClock;
    private final TraceStripe[] stripes = new TraceStripe[STRIPES];
    /** Bits of a record's index in a sort key: room for every stripe's records. */
    private final int indexBits;
    private volatile boolean enabled;
    /** Guarded by this object. */
    private Thread collector;
    /** Guarded by this object; read by the collector under it. */
    private Consumer<RawBatch> sink;

    /**
     * @param name           the trace's name, for its collector thread and log lines
     * @param stripeEvents   records per stripe per collection
     * @param maxBatchEvents records per batch handed to the consumer
     * @param nanoClock      the hypervisor's clock, in ns
     * @param wallClock      for the Unix time of the hypervisor clock's zero
     */
    public StripedTrace(String name, int stripeEvents, int maxBatchEvents, LongSupplier nanoClock, Clock wallClock) {
        if (stripeEvents <= 0 || maxBatchEvents <= 0) {
            throw new IllegalArgumentException("stripe and batch sizes must be positive");
        }
        this.name = Objects.requireNonNull(name, "name");
        this.stripeEvents = stripeEvents;
        this.maxBatchEvents = maxBatchEvents;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.indexBits = 64 - Long.numberOfLeadingZeros((long) STRIPES * stripeEvents);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new TraceStripe(stripeEvents);
        }
    }

    /** Whether records are being taken: callers test this before computing a record's fields. */
    public boolean enabled() {
        return enabled;
    }

    /** The hypervisor clock this trace stamps records with. */
    public long now() {
        return nanoClock.getAsLong();
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

    /** Records {@code w1, w2} stamped with the clock now, if enabled; never waits. */
    public void record(long w1, long w2) {
        if (!enabled) {
            return;
        }
        TraceStripe own = stripes[(int) Thread.currentThread().threadId() & (STRIPES - 1)];
        if (own.isFull()) {
            own.countDrop();
            return;
        }
        put(nanoClock.getAsLong(), w1, w2);
    }

    /**
     * Records {@code w1, w2} stamped {@code timeNs} (a time the caller read from the same clock, e.g.
     * under a lock that orders it with other records), if enabled; never waits.
     */
    public void record(long timeNs, long w1, long w2) {
        if (enabled) {
            put(timeNs, w1, w2);
        }
    }

    private void put(long w0, long w1, long w2) {
        int first = (int) Thread.currentThread().threadId();
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
        stripes[first & (STRIPES - 1)].countDrop();
    }

    /** Starts recording and sending batches to {@code consumer} (replacing the previous one, if any). */
    public synchronized void start(Consumer<RawBatch> consumer) {
        sink = Objects.requireNonNull(consumer, "consumer");
        enabled = true;
        if (collector == null) {
            collector = Thread.ofPlatform().daemon().name(name).start(this::collect);
            LOG.info("{} started", name);
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
            LOG.info("{} stopped", name);
        }
    }

    /** Scratch space for one collection pass. */
    public long[] scratch() {
        return new long[STRIPES * stripeEvents * WORDS];
    }

    private void collect() {
        long[] scratch = scratch();
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS));
            synchronized (this) {
                if (collector != Thread.currentThread()) {
                    return;
                }
                flush(scratch, sink);
            }
        }
    }

    /** One collection pass: everything recorded so far, sorted by time, to {@code target}. */
    public void flush(long[] scratch, Consumer<RawBatch> target) {
        int end = 0;
        long lost = 0;
        for (TraceStripe stripe : stripes) {
            end = stripe.drainTo(scratch, end);
            lost += stripe.takeDropped();
        }
        int events = end / WORDS;
        if (events == 0 && lost == 0) {
            return;
        }
        long[] sorted = sortByTime(scratch, events);
        long offset = unixOffsetNanos();
        for (int from = 0; from < events || lost > 0; from += maxBatchEvents) {
            int to = Math.min(events, from + maxBatchEvents);
            long[] words = Arrays.copyOfRange(sorted, from * WORDS, to * WORDS);
            try {
                target.accept(new RawBatch(words, lost, offset));
            } catch (RuntimeException e) {
                LOG.warn("the consumer of the {} failed; batch dropped", name, e);
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

    /** The first {@code events} records of {@code words}, in time order (stable across stripes). */
    private long[] sortByTime(long[] words, int events) {
        long[] sorted = new long[events * WORDS];
        if (events == 0) {
            return sorted;
        }
        long first = Long.MAX_VALUE;
        boolean ordered = true;
        for (int i = 0; i < events; i++) {
            long t = words[i * WORDS];
            first = Math.min(first, t);
            ordered &= i == 0 || t >= words[(i - 1) * WORDS];
        }
        if (ordered) {
            System.arraycopy(words, 0, sorted, 0, sorted.length);
            return sorted;
        }
        // Sort keys of (time since the earliest record, index): a primitive sort, stable by index.
        long[] keys = new long[events];
        for (int i = 0; i < events; i++) {
            keys[i] = (words[i * WORDS] - first) << indexBits | i;
        }
        Arrays.sort(keys);
        for (int i = 0; i < events; i++) {
            int from = (int) (keys[i] & ((1L << indexBits) - 1));
            System.arraycopy(words, from * WORDS, sorted, i * WORDS, WORDS);
        }
        return sorted;
    }
}
