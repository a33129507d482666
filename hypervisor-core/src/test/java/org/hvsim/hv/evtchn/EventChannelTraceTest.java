package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_BIND;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_CLOSE;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_DELIVER;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_MASKED;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_SEND;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_UNMASK;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.SEND_COALESCED;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.SEND_DELIVERED;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.SEND_MASKED;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.SEND_TO_XEN;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.SEND_UNBOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.hv.evtchn.trace.TraceBatch;
import org.hvsim.hv.evtchn.trace.TraceProbe;
import org.junit.jupiter.api.Test;

/**
 * What the event channel paths record in the trace, field by field (time aside): one SEND record per
 * send, whose status says what it did to the raised port; DELIVER and MASKED records only for VIRQ
 * raises and bind_interdomain's initial edge.
 */
class EventChannelTraceTest {
    private final TestHost host = new TestHost();
    private final EventChannelManager evtchn = host.evtchn;
    private final Hypercalls hc = new Hypercalls(host);
    private final TestDomain a = host.domU(1);
    private final TestDomain b = host.domU(2);

    /** A record as expected, time left out, label ids as their text ("" for none). */
    private record R(int kind, int domid, int port, int vcpu, int status, int remoteDomid, int remotePort,
                     int virq, String remoteLabel, String label) {}

    private static List<R> recorded(List<TraceBatch> batches) {
        List<EvtchnTraceRecord> records = TraceProbe.records(batches);
        Map<Integer, String> labels = new HashMap<>();
        batches.forEach(bt -> labels.putAll(bt.labels()));
        return records.stream().map(r -> new R(r.kind(), r.domid(), r.port(), r.vcpu(), r.status(),
                r.remoteDomid(), r.remotePort(), r.virq(), text(labels, r.remoteLabelId()), text(labels, r.labelId())))
                .toList();
    }

    private static String text(Map<Integer, String> labels, int id) {
        return id == 0 ? "" : labels.getOrDefault(id, "<no text for " + id + ">");
    }

    @Test
    void nothingIsRecordedWithoutAWatcher() {
        int port = hc.bindIpi(a, 0);
        hc.send(a, port);
        assertEquals(List.of(), TraceProbe.capture(evtchn.trace(), () -> { }));
    }

    @Test
    void bindsSendsWithWhatTheyDidUnmasksAndClosesAreRecordedWithTheirFields() {
        int[] ports = new int[2];
        List<TraceBatch> batches = TraceProbe.capture(evtchn.trace(), () -> {
            ports[0] = hc.allocUnbound(a, a.domid, b.domid);
            ports[1] = hc.bindInterdomain(b, a.domid, ports[0]);
            assertEquals(0, evtchn.label(a, ports[0], "console"));
            assertEquals(0, evtchn.label(b, ports[1], "frontend"));
            TestHost.guestView(b).scan(0, p -> { });
            hc.send(a, ports[0]);
            hc.send(a, ports[0]); // still pending: coalesced
            TestHost.guestView(b).scan(0, p -> { });
            TestHost.guestView(b).setMask(ports[1]);
            hc.send(a, ports[0]);
            hc.unmask(b, ports[1]);
            hc.close(a, ports[0]);
        });
        int ap = ports[0];
        int bp = ports[1];
        int inter = EvtchnOp.STAT_INTERDOMAIN;
        assertEquals(List.of(
                new R(KIND_BIND, 1, ap, 0, EvtchnOp.STAT_UNBOUND, 2, 0, 0, "", ""),
                new R(KIND_BIND, 2, bp, 0, inter, 1, ap, 0, "", ""),
                new R(KIND_BIND, 1, ap, 0, inter, 2, bp, 0, "", ""),
                new R(KIND_DELIVER, 2, bp, 0, 0, 0, 0, 0, "", ""),
                new R(KIND_SEND, 1, ap, 0, SEND_DELIVERED, 2, bp, 0, "frontend", "console"),
                new R(KIND_SEND, 1, ap, 0, SEND_COALESCED, 2, bp, 0, "frontend", "console"),
                new R(KIND_SEND, 1, ap, 0, SEND_MASKED, 2, bp, 0, "frontend", "console"),
                new R(KIND_UNMASK, 2, bp, 0, inter, 1, ap, 0, "", "frontend"),
                new R(KIND_CLOSE, 1, ap, 0, inter, 2, bp, 0, "", "console")),
                recorded(batches));
    }

    @Test
    void aSendRecordCarriesTheVcpuTheRaisedPortNotifies() {
        int[] ports = new int[2];
        List<TraceBatch> batches = TraceProbe.capture(evtchn.trace(), () -> {
            ports[0] = hc.allocUnbound(a, a.domid, b.domid);
            ports[1] = hc.bindInterdomain(b, a.domid, ports[0]);
            assertEquals(0, hc.bindVcpu(b, ports[1], 3));
            TestHost.guestView(b).scan(0, p -> { });
            hc.send(a, ports[0]);
        });
        assertEquals(new R(KIND_SEND, 1, ports[0], 3, SEND_DELIVERED, 2, ports[1], 0, "", ""),
                recorded(batches).getLast(), "vCPU 3 is b's, not the sending port's vCPU 0");
    }

    @Test
    void aSendOnAnUnboundPortIsRecordedAsGoingNowhere() {
        int[] port = new int[1];
        List<TraceBatch> batches = TraceProbe.capture(evtchn.trace(), () -> {
            port[0] = hc.allocUnbound(a, a.domid, b.domid);
            assertEquals(0, evtchn.label(a, port[0], "waiting"));
            hc.send(a, port[0]);
        });
        assertEquals(List.of(
                new R(KIND_BIND, 1, port[0], 0, EvtchnOp.STAT_UNBOUND, 2, 0, 0, "", ""),
                new R(KIND_SEND, 1, port[0], 0, SEND_UNBOUND, 2, 0, 0, "", "waiting")),
                recorded(batches));
    }

    @Test
    void aSendToAXenAttachedPortIsRecordedAsConsumedByXen() {
        int xenPort = evtchn.allocXenUnbound(a, 2, b.domid, (d, vcpu, port) -> { });
        assertEquals(0, evtchn.label(a, xenPort, "xen-console"));
        int bPort = hc.bindInterdomain(b, a.domid, xenPort);
        List<TraceBatch> batches = TraceProbe.capture(evtchn.trace(), () -> hc.send(b, bPort));
        assertEquals(List.of(new R(KIND_SEND, 2, bPort, 2, SEND_TO_XEN, 1, xenPort, 0, "xen-console", "")),
                recorded(batches));
    }

    @Test
    void virqRaisesAreRecordedAsDeliveriesOrMaskedEdgesAndIpiSendsAsOneRecord() {
        int[] ports = new int[3];
        List<TraceBatch> batches = TraceProbe.capture(evtchn.trace(), () -> {
            ports[0] = hc.bindVirq(a, Virq.TIMER, 3);
            evtchn.sendVirq(a, 3, Virq.TIMER);
            ports[1] = hc.bindVirq(a, Virq.DEBUG, 1);
            TestHost.guestView(a).setMask(ports[1]);
            evtchn.sendVirq(a, 1, Virq.DEBUG);
            evtchn.sendVirq(a, 1, Virq.DEBUG); // still pending: coalesced, not recorded
            ports[2] = hc.bindIpi(a, 2);
            hc.send(a, ports[2]);
        });
        assertEquals(List.of(
                new R(KIND_BIND, 1, ports[0], 3, EvtchnOp.STAT_VIRQ, 0, 0, Virq.TIMER, "", "VIRQ_TIMER"),
                new R(KIND_DELIVER, 1, ports[0], 3, 0, 0, 0, Virq.TIMER, "", "VIRQ_TIMER"),
                new R(KIND_BIND, 1, ports[1], 1, EvtchnOp.STAT_VIRQ, 0, 0, Virq.DEBUG, "", "VIRQ_DEBUG"),
                new R(KIND_MASKED, 1, ports[1], 1, 0, 0, 0, Virq.DEBUG, "", "VIRQ_DEBUG"),
                new R(KIND_BIND, 1, ports[2], 2, EvtchnOp.STAT_IPI, 0, 0, 0, "", "IPI"),
                new R(KIND_SEND, 1, ports[2], 2, SEND_DELIVERED, 1, ports[2], 0, "IPI", "IPI")),
                recorded(batches));
    }

    @Test
    void recordsAreInTimeOrder() {
        List<TraceBatch> batches = TraceProbe.capture(evtchn.trace(), () -> {
            for (int i = 0; i < 50; i++) {
                hc.send(a, hc.bindIpi(a, i % 4));
            }
        });
        List<EvtchnTraceRecord> records = TraceProbe.records(batches);
        assertEquals(100, records.size(), "a bind and one send record each");
        for (int i = 1; i < records.size(); i++) {
            assertTrue(records.get(i - 1).timeNs() <= records.get(i).timeNs());
        }
    }
}
