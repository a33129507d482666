package org.hvsim.dom0.evtchn;

import java.util.List;
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

    /**
     * Appends the events one trace record stands for to {@code out}: itself, and for a send that raised
     * a new edge, the delivery (or masked edge) on the raised port at the same instant.
     */
    public static void events(long w0, long w1, long w2, long clockOffsetUnixNanos, Map<Integer, String> labels,
            List<EventChannelEvent> out) {
        EvtchnTraceRecord r = EvtchnTraceRecord.decode(w0, w1, w2);
        EventChannelActivityKind kind = EventChannelActivityKind.forNumber(r.kind());
        long time = r.timeNs() + clockOffsetUnixNanos;
        EventChannelEvent.Builder b = EventChannelEvent.newBuilder()
                .setTimestampUnixNanos(time)
                .setKind(kind == null ? EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_UNSPECIFIED : kind)
                .setDomid(r.domid())
                .setPort(r.port())
                .setVcpu(r.vcpu())
                .setRemoteDomid(r.remoteDomid())
                .setRemotePort(r.remotePort())
                .setVirq(r.virq())
                .setLabel(labels.getOrDefault(r.labelId(), ""));
        if (r.kind() == EvtchnTraceRecord.KIND_BIND || r.kind() == EvtchnTraceRecord.KIND_CLOSE) {
            b.setState(state(r.status()));
        }
        out.add(b.build());
        if (r.kind() == EvtchnTraceRecord.KIND_SEND
                && (r.status() == EvtchnTraceRecord.SEND_DELIVERED || r.status() == EvtchnTraceRecord.SEND_MASKED)) {
            out.add(EventChannelEvent.newBuilder()
                    .setTimestampUnixNanos(time)
                    .setKind(r.status() == EvtchnTraceRecord.SEND_DELIVERED
                            ? EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER
                            : EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_MASKED)
                    .setDomid(r.remoteDomid())
                    .setPort(r.remotePort())
                    .setVcpu(r.vcpu())
                    .setLabel(labels.getOrDefault(r.remoteLabelId(), ""))
                    .build());
        }
    }
}
