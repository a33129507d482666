package org.hvsim.hv.boot;

import java.util.function.Consumer;
import org.hvsim.hv.privcmd.Dom0Inspection;
import org.hvsim.hv.sched.SchedTrace;
import org.hvsim.hv.trace.RawBatch;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.SchedTraceBatch;

/**
 * Everything dom0 may inspect over the privcmd channel on this host: event channels (answered by
 * {@link Dom0EvtchnInspection}) and the scheduler trace.
 *
 * <p>Threads: queries and labels on privcmd virtual threads, trace control on the privcmd event
 * loop, concurrently; batches are made on the traces' collector threads.
 */
public final class Dom0HostInspection implements Dom0Inspection {
    private final Dom0EvtchnInspection evtchn;
    private final SchedTrace schedTrace;

    public Dom0HostInspection(Dom0EvtchnInspection evtchn, SchedTrace schedTrace) {
        this.evtchn = evtchn;
        this.schedTrace = schedTrace;
    }

    @Override
    public EvtchnQueryResult queryEvtchn(EvtchnQuery query) {
        return evtchn.queryEvtchn(query);
    }

    @Override
    public void labelEvtchn(EvtchnLabel label) {
        evtchn.labelEvtchn(label);
    }

    @Override
    public void traceEvtchn(Consumer<EvtchnTraceBatch> sink) {
        evtchn.traceEvtchn(sink);
    }

    @Override
    public void traceSched(Consumer<SchedTraceBatch> sink) {
        if (sink == null) {
            schedTrace.stop();
        } else {
            schedTrace.start(batch -> sink.accept(toMessage(batch)));
        }
    }

    static SchedTraceBatch toMessage(RawBatch batch) {
        SchedTraceBatch.Builder b = SchedTraceBatch.newBuilder()
                .setDropped(batch.dropped())
                .setClockOffsetUnixNanos(batch.clockOffsetUnixNanos());
        for (long w : batch.words()) {
            b.addWords(w);
        }
        return b.build();
    }
}
