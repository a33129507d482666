package org.hvsim.hv.evtchn.trace;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.hv.trace.RawBatch;
import org.hvsim.hv.trace.StripedTrace;

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
 * <p>The buffers are a {@link StripedTrace}; this class adds the record layout and the label texts.
 *
 * <p>Threads: {@link #record} on any thread (the event channel paths, under their channel locks);
 * {@link #start} and {@link #stop} on any thread; the sink is called on the collector thread.
 */
public final class EvtchnTrace {
    static final int STRIPES = StripedTrace.STRIPES;
    /** Records per stripe per collection: 12,800 a second for each thread recording. */
    static final int STRIPE_EVENTS = 256;
    /** Records per batch, so that a batch fits a privcmd frame (24 bytes each). */
    public static final int MAX_BATCH_EVENTS = 2048;

    private final IntFunction<String> labelText;
    private final StripedTrace stripes;

    /**
     * @param nanoClock the hypervisor's clock, in ns
     * @param wallClock for the Unix time of the hypervisor clock's zero
     * @param labelText the text of a label id, or null
     */
    public EvtchnTrace(LongSupplier nanoClock, Clock wallClock, IntFunction<String> labelText) {
        this.labelText = Objects.requireNonNull(labelText, "labelText");
        this.stripes = new StripedTrace("evtchn-trace", STRIPE_EVENTS, MAX_BATCH_EVENTS, nanoClock, wallClock);
    }

    /** Whether records are being taken: callers test this before computing a record's fields. */
    public boolean enabled() {
        return stripes.enabled();
    }

    /**
     * Whether a record from this thread would be kept now: the trace is on and this thread's stripe has
     * budget left. When the budget is spent, counts the drop here and answers false, so that a caller
     * on a hot path skips even gathering the record's fields.
     */
    public boolean admit() {
        return stripes.admit();
    }

    /** Records one event, if enabled; never waits. Fields as in {@link EvtchnTraceRecord}. */
    public void record(int kind, int domid, int port, int vcpu, int status, int remoteDomid, int remotePort,
            int virq, int remoteLabelId, int labelId) {
        if (stripes.enabled()) {
            stripes.record(EvtchnTraceRecord.word1(kind, domid, port, vcpu, status),
                    EvtchnTraceRecord.word2(remoteDomid, remotePort, virq, remoteLabelId, labelId));
        }
    }

    /**
     * Starts recording and sending batches to {@code newSink} (replacing the previous sink, if any).
     */
    public void start(TraceSink newSink) {
        Objects.requireNonNull(newSink, "sink");
        stripes.start(raw -> newSink.accept(withLabels(raw)));
    }

    /** Stops recording; records not yet collected are discarded. Idempotent. */
    public void stop() {
        stripes.stop();
    }

    /** The buffers: a test holds their monitor to keep the collector off and runs {@link #flush} itself. */
    StripedTrace stripes() {
        return stripes;
    }

    /** One collection pass: everything recorded so far, sorted by time, to {@code target}. */
    void flush(long[] scratch, TraceSink target) {
        stripes.flush(scratch, raw -> target.accept(withLabels(raw)));
    }

    private TraceBatch withLabels(RawBatch raw) {
        return new TraceBatch(raw.words(), raw.dropped(), raw.clockOffsetUnixNanos(), labels(raw.words()));
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
}
