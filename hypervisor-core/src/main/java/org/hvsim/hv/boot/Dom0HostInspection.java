package org.hvsim.hv.boot;

import java.util.function.Consumer;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.privcmd.Dom0Inspection;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;
import org.hvsim.proto.privcmd.VcpuRunstateResult;

/**
 * Everything dom0 may inspect on a running host, as the privcmd server offers it: event channels
 * ({@link Dom0EvtchnInspection}) and vCPU runstates ({@link Dom0RunstateInspection}).
 *
 * <p>Threads: as {@link Dom0Inspection} says; it keeps no state of its own.
 */
public final class Dom0HostInspection implements Dom0Inspection {
    private final Dom0EvtchnInspection evtchn;
    private final Dom0RunstateInspection runstates;

    public Dom0HostInspection(Dom0EvtchnInspection evtchn, Dom0RunstateInspection runstates) {
        this.evtchn = evtchn;
        this.runstates = runstates;
    }

    /** The inspection of {@code hv}'s event channels and vCPUs. */
    public static Dom0HostInspection of(Hypervisor hv) {
        return new Dom0HostInspection(new Dom0EvtchnInspection(hv.domains(), hv.evtchn()),
                new Dom0RunstateInspection(hv.domains(), hv.clock()));
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
}
