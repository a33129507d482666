package org.hvsim.hv.evtchn.trace;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;

/**
 * Runs a trace with the test as its collector: while {@link #capture} runs its body, the trace's own
 * collector thread is held off (it takes the trace's monitor before each pass, and the test holds it),
 * and {@link EvtchnTrace#flush} is called directly, so what the batches hold is deterministic.
 * Threads: one test thread per capture.
 */
public final class TraceProbe {
    private TraceProbe() {}

    /** Scratch space for one collection pass. */
    static long[] scratch() {
        return new long[EvtchnTrace.STRIPES * EvtchnTrace.STRIPE_EVENTS * EvtchnTraceRecord.WORDS];
    }

    /** Starts {@code trace}, runs {@code body}, takes one collection pass, stops it; returns the batches. */
    public static List<TraceBatch> capture(EvtchnTrace trace, Runnable body) {
        List<TraceBatch> batches = new ArrayList<>();
        synchronized (trace.stripes()) {
            trace.start(batches::add);
            try {
                body.run();
                trace.flush(scratch(), batches::add);
            } finally {
                trace.stop();
            }
        }
        return batches;
    }

    /** Every record of {@code batches}, in order. */
    public static List<EvtchnTraceRecord> records(List<TraceBatch> batches) {
        List<EvtchnTraceRecord> records = new ArrayList<>();
        for (TraceBatch b : batches) {
            long[] w = b.words();
            for (int i = 0; i < w.length; i += EvtchnTraceRecord.WORDS) {
                records.add(EvtchnTraceRecord.decode(w[i], w[i + 1], w[i + 2]));
            }
        }
        return records;
    }
}
