package org.hvsim.dom0.evtchn;

import java.util.Map;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelCounters;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.EventChannelState;
import org.hvsim.proto.privcmd.EvtchnPortInfo;

/** The control plane's messages for what the hypervisor reports about ports and their activity. */
public final class EvtchnViews {
    private EvtchnViews() {}

    /** The state for an EVTCHNSTAT_* value (closed 0 .. ipi 5). */
    public static EventChannelState state(int evtchnStat) {
        EventChannelState s = EventChannelState.forNumber(evtchnStat + 1);
        return s == null ? EventChannelState.EVENT_CHANNEL_STATE_UNSPECIFIED : s;
    }

    public static EventChannel port(int domid, EvtchnPortInfo p) {
        return EventChannel.newBuilder()
                .setDomid(domid)
                .setPort(p.getPort())
                .setState(state(p.getStatus()))
                .setVcpu(p.getVcpu())
                .setRemoteDomid(p.getRemoteDomid())
                .setRemotePort(p.getRemotePort())
                .setVirq(p.getVirq())
                .setXenAttached(p.getXenAttached())
                .setPending(p.getPending())
                .setMasked(p.getMasked())
                .setLabel(p.getLabel())
                .setCounters(EventChannelCounters.newBuilder()
                        .setSends(p.getSends())
                        .setPendingEdges(p.getPendingEdges())
                        .setUpcalls(p.getUpcalls())
                        .setMaskedDrops(p.getMaskedDrops())
                        .setCoalesced(p.getCoalesced()))
                .build();
    }

    /** The event in {@code words[at..at+2]} of a trace batch. */
    public static EventChannelEvent event(long w0, long w1, long w2, long clockOffsetUnixNanos,
            Map<Integer, String> labels) {
        EvtchnTraceRecord r = EvtchnTraceRecord.decode(w0, w1, w2);
        EventChannelActivityKind kind = EventChannelActivityKind.forNumber(r.kind());
        EventChannelEvent.Builder b = EventChannelEvent.newBuilder()
                .setTimestampUnixNanos(r.timeNs() + clockOffsetUnixNanos)
                .setKind(kind == null ? EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_UNSPECIFIED : kind)
                .setDomid(r.domid())
                .setPort(r.port())
                .setVcpu(r.vcpu())
                .setRemoteDomid(r.remoteDomid())
                .setRemotePort(r.remotePort())
                .setVirq(r.virq())
                .setLabel(labels.getOrDefault(r.labelId(), ""));
        if (r.kind() == EvtchnTraceRecord.KIND_BIND || r.kind() == EvtchnTraceRecord.KIND_CLOSE
                || r.kind() == EvtchnTraceRecord.KIND_SEND) {
            b.setState(state(r.status()));
        }
        return b.build();
    }
}
