package org.hvsim.hv.boot;

import java.util.function.Consumer;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.privcmd.Dom0Inspection;
import org.hvsim.hv.sched.SchedTrace;
import org.hvsim.hv.trace.RawBatch;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.SchedTraceBatch;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;
import org.hvsim.proto.privcmd.VcpuRunstateResult;

/**
 * Everything dom0 may inspect on a running host, as the privcmd server offers it: event channels
 * ({@link Dom0EvtchnInspection}), vCPU runstates ({@link Dom0RunstateInspection}) and the scheduler
 * trace.
 *
 * <p>Threads: as {@link Dom0Inspection} says; it keeps no state of its own (scheduler trace batches
 * are made on the trace's collector thread).
 */
public final class Dom0HostInspection implements Dom0Inspection {
    private final Dom0EvtchnInspection evtchn;
    private final Dom0RunstateInspection runstates;
    private final SchedTrace schedTrace;

    public Dom0HostInspection(Dom0EvtchnInspection evtchn, Dom0RunstateInspection runstates, SchedTrace schedTrace) {
        this.evtchn = evtchn;
        this.runstates = runstates;
        this.schedTrace = schedTrace;
    }

    /** The inspection of {@code hv}'s event channels, vCPUs and scheduler. */
    public static Dom0HostInspection of(Hypervisor hv) {
        return new Dom0HostInspection(new Dom0EvtchnInspection(hv.domains(), hv.evtchn()),
                new Dom0RunstateInspection(hv.domains(), hv.clock()), hv.scheduler().trace());
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
    public VcpuRunstateResult queryRunstate(VcpuRunstateQuery query) {
        return runstates.query(query);
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
