package org.hvsim.dom0.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelCounters;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.EventChannelState;
import org.hvsim.proto.privcmd.EvtchnPortInfo;
import org.junit.jupiter.api.Test;

class EvtchnViewsTest {
    @Test
    void statesAreEvtchnstatPlusOne() {
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_CLOSED, EvtchnViews.state(EvtchnOp.STAT_CLOSED));
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_UNBOUND, EvtchnViews.state(EvtchnOp.STAT_UNBOUND));
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN, EvtchnViews.state(EvtchnOp.STAT_INTERDOMAIN));
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_PIRQ, EvtchnViews.state(EvtchnOp.STAT_PIRQ));
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_VIRQ, EvtchnViews.state(EvtchnOp.STAT_VIRQ));
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_IPI, EvtchnViews.state(EvtchnOp.STAT_IPI));
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_UNSPECIFIED, EvtchnViews.state(6));
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_UNSPECIFIED, EvtchnViews.state(255));
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_UNSPECIFIED, EvtchnViews.state(-1));
    }

    @Test
    void aPortCarriesEveryFieldAndItsCounters() {
        EvtchnPortInfo p = EvtchnPortInfo.newBuilder().setPort(12).setStatus(EvtchnOp.STAT_INTERDOMAIN).setVcpu(3)
                .setRemoteDomid(7).setRemotePort(40).setVirq(0).setXenAttached(true).setPending(true)
                .setMasked(false).setLabel("console").setSends(1).setPendingEdges(2).setUpcalls(3)
                .setMaskedDrops(4).setCoalesced(5).build();
        assertEquals(EventChannel.newBuilder().setDomid(9).setPort(12)
                .setState(EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN).setVcpu(3).setRemoteDomid(7)
                .setRemotePort(40).setXenAttached(true).setPending(true).setLabel("console")
                .setCounters(EventChannelCounters.newBuilder().setSends(1).setPendingEdges(2).setUpcalls(3)
                        .setMaskedDrops(4).setCoalesced(5))
                .build(), EvtchnViews.port(9, p));
    }

    private static final long OFFSET = 1_700_000_000_000_000_000L;

    /** The events of one record: time 123456, d0x7fef:4095 on vCPU 31, remote d0x7fee:4094, VIRQ 11. */
    private static List<EventChannelEvent> expand(int kind, int status, int remoteLabelId, int labelId,
            Map<Integer, String> labels) {
        List<EventChannelEvent> out = new ArrayList<>();
        EvtchnViews.events(123_456, EvtchnTraceRecord.word1(kind, 0x7fef, 4095, 31, status),
                EvtchnTraceRecord.word2(0x7fee, 4094, 11, remoteLabelId, labelId), OFFSET, labels, out);
        return out;
    }

    private static EventChannelEvent decode(int kind, int status, int labelId, Map<Integer, String> labels) {
        List<EventChannelEvent> events = expand(kind, status, 0, labelId, labels);
        assertEquals(1, events.size(), "one event for kind " + kind + ", status " + status);
        return events.getFirst();
    }

    private static EventChannelEvent.Builder send() {
        return EventChannelEvent.newBuilder().setTimestampUnixNanos(OFFSET + 123_456)
                .setKind(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND).setDomid(0x7fef).setPort(4095)
                .setVcpu(31).setRemoteDomid(0x7fee).setRemotePort(4094).setVirq(11).setLabel("console");
    }

    @Test
    void anEventIsDecodedWithItsLabelTextAndUnixTime() {
        EventChannelEvent e = decode(EvtchnTraceRecord.KIND_BIND, EvtchnOp.STAT_VIRQ, 4, Map.of(4, "VIRQ_DEBUG"));
        assertEquals(EventChannelEvent.newBuilder().setTimestampUnixNanos(1_700_000_000_000_123_456L)
                .setKind(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_BIND).setDomid(0x7fef).setPort(4095)
                .setVcpu(31).setRemoteDomid(0x7fee).setRemotePort(4094).setVirq(11)
                .setState(EventChannelState.EVENT_CHANNEL_STATE_VIRQ).setLabel("VIRQ_DEBUG").build(), e);
    }

    @Test
    void aDeliveredSendExpandsIntoTheSendAndADeliveryOnTheRaisedPortWithItsLabel() {
        assertEquals(List.of(
                send().build(),
                EventChannelEvent.newBuilder().setTimestampUnixNanos(OFFSET + 123_456)
                        .setKind(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER).setDomid(0x7fee)
                        .setPort(4094).setVcpu(31).setLabel("frontend").build()),
                expand(EvtchnTraceRecord.KIND_SEND, EvtchnTraceRecord.SEND_DELIVERED, 9, 8,
                        Map.of(8, "console", 9, "frontend")));
    }

    @Test
    void aMaskedSendExpandsIntoTheSendAndAMaskedEdgeOnTheRaisedPort() {
        assertEquals(List.of(
                send().build(),
                EventChannelEvent.newBuilder().setTimestampUnixNanos(OFFSET + 123_456)
                        .setKind(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_MASKED).setDomid(0x7fee)
                        .setPort(4094).setVcpu(31).setLabel("frontend").build()),
                expand(EvtchnTraceRecord.KIND_SEND, EvtchnTraceRecord.SEND_MASKED, 9, 8,
                        Map.of(8, "console", 9, "frontend")));
    }

    @Test
    void aSendThatRaisedNoNewEdgeIsTheSendAlone() {
        for (int status : new int[] {EvtchnTraceRecord.SEND_COALESCED, EvtchnTraceRecord.SEND_UNBOUND,
                EvtchnTraceRecord.SEND_TO_XEN}) {
            assertEquals(List.of(send().build()), expand(EvtchnTraceRecord.KIND_SEND, status, 9, 8,
                    Map.of(8, "console", 9, "frontend")), "status " + status);
        }
    }

    @Test
    void eventsAreAppendedAfterWhatTheListAlreadyHolds() {
        List<EventChannelEvent> out = new ArrayList<>(List.of(EventChannelEvent.getDefaultInstance()));
        EvtchnViews.events(1, EvtchnTraceRecord.word1(EvtchnTraceRecord.KIND_SEND, 1, 2, 0,
                EvtchnTraceRecord.SEND_DELIVERED), EvtchnTraceRecord.word2(3, 4, 0, 0, 0), 0, Map.of(), out);
        assertEquals(List.of(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_UNSPECIFIED,
                EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND,
                EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER),
                out.stream().map(EventChannelEvent::getKind).toList());
    }

    @Test
    void eachKindMapsToItsActivityKindAndOnlyBindAndCloseCarryAState() {
        int[] kinds = {EvtchnTraceRecord.KIND_BIND, EvtchnTraceRecord.KIND_CLOSE, EvtchnTraceRecord.KIND_SEND,
                EvtchnTraceRecord.KIND_DELIVER, EvtchnTraceRecord.KIND_MASKED, EvtchnTraceRecord.KIND_UNMASK};
        for (int kind : kinds) {
            // status 1 is EVTCHNSTAT_unbound for BIND/CLOSE and SEND_COALESCED (the send alone) for SEND
            EventChannelEvent e = decode(kind, EvtchnOp.STAT_UNBOUND, 0, Map.of());
            assertEquals(kind, e.getKindValue(), "numbered alike");
            boolean stated = kind == EvtchnTraceRecord.KIND_BIND || kind == EvtchnTraceRecord.KIND_CLOSE;
            assertEquals(stated ? EventChannelState.EVENT_CHANNEL_STATE_UNBOUND
                    : EventChannelState.EVENT_CHANNEL_STATE_UNSPECIFIED, e.getState(), "kind " + kind);
            assertEquals("", e.getLabel());
        }
    }

    @Test
    void anUnknownKindOrLabelIdDecodesToUnspecifiedAndEmpty() {
        EventChannelEvent e = decode(99, 0, 5, Map.of(4, "other"));
        assertEquals(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_UNSPECIFIED, e.getKind());
        assertEquals("", e.getLabel());
        assertEquals(EventChannelState.EVENT_CHANNEL_STATE_UNSPECIFIED, e.getState());
    }
}
