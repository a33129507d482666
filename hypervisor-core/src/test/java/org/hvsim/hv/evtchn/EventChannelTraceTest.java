package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_BIND;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_CLOSE;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_DELIVER;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_MASKED;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_SEND;
import static org.hvsim.hv.abi.evtchn.EvtchnTraceRecord.KIND_UNMASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.hv.evtchn.trace.TraceBatch;
import org.hvsim.hv.evtchn.trace.TraceProbe;
import org.junit.jupiter.api.Test;

/** What the event channel paths record in the trace, field by field (time aside). */
class EventChannelTraceTest {
    private final TestHost host = new TestHost();
    private final EventChannelManager evtchn = host.evtchn;
    private final Hypercalls hc = new Hypercalls(host);
    private final TestDomain a = host.domU(1);
    private final TestDomain b = host.domU(2);

    /** A record as expected, time left out. */
    private record R(int kind, int domid, int port, int vcpu, int status, int remoteDomid, int remotePort,
                     int virq, String label) {}

    private static List<R> recorded(List<TraceBatch> batches) {
        List<EvtchnTraceRecord> records = TraceProbe.records(batches);
        java.util.Map<Integer, String> labels = new java.util.HashMap<>();
        batches.forEach(bt -> labels.putAll(bt.labels()));
        return records.stream().map(r -> new R(r.kind(), r.domid(), r.port(), r.vcpu(), r.status(),
                r.remoteDomid(), r.remotePort(), r.virq(), r.labelId() == 0 ? "" : labels.get(r.labelId()))).toList();
    }

    @Test
    void nothingIsRecordedWithoutAWatcher() {
        int port = hc.bindIpi(a, 0);
        hc.send(a, port);
        assertEquals(List.of(), TraceProbe.capture(evtchn.trace(), () -> { }));
    }

    @Test
    void bindsSendsDeliveriesMaskedEdgesUnmasksAndClosesAreRecordedWithTheirFields() {
        int[] ports = new int[2];
        List<TraceBatch> batches = TraceProbe.capture(evtchn.trace(), () -> {
            ports[0] = hc.allocUnbound(a, a.domid, b.domid);
            ports[1] = hc.bindInterdomain(b, a.domid, ports[0]);
            assertEquals(0, evtchn.label(a, ports[0], "console"));
            TestHost.guestView(b).scan(0, p -> { });
            hc.send(a, ports[0]);
            hc.send(a, ports[0]); // coalesced: nothing recorded but the send
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
                new R(KIND_BIND, 1, ap, 0, EvtchnOp.STAT_UNBOUND, 2, 0, 0, ""),
                new R(KIND_BIND, 2, bp, 0, inter, 1, ap, 0, ""),
                new R(KIND_BIND, 1, ap, 0, inter, 2, bp, 0, ""),
                new R(KIND_DELIVER, 2, bp, 0, 0, 0, 0, 0, ""),
                new R(KIND_SEND, 1, ap, 0, inter, 2, bp, 0, "console"),
                new R(KIND_DELIVER, 2, bp, 0, 0, 0, 0, 0, ""),
                new R(KIND_SEND, 1, ap, 0, inter, 2, bp, 0, "console"),
                new R(KIND_SEND, 1, ap, 0, inter, 2, bp, 0, "console"),
                new R(KIND_MASKED, 2, bp, 0, 0, 0, 0, 0, ""),
                new R(KIND_UNMASK, 2, bp, 0, inter, 1, ap, 0, ""),
                new R(KIND_CLOSE, 1, ap, 0, inter, 2, bp, 0, "console")),
                recorded(batches));
    }

    @Test
    void virqAndIpiRecordsCarryTheirVirqVcpuAndLabel() {
        int[] ports = new int[2];
        List<TraceBatch> batches = TraceProbe.capture(evtchn.trace(), () -> {
            ports[0] = hc.bindVirq(a, Virq.TIMER, 3);
            evtchn.sendVirq(a, 3, Virq.TIMER);
            ports[1] = hc.bindIpi(a, 2);
            hc.send(a, ports[1]);
        });
        assertEquals(List.of(
                new R(KIND_BIND, 1, ports[0], 3, EvtchnOp.STAT_VIRQ, 0, 0, Virq.TIMER, "VIRQ_TIMER"),
                new R(KIND_DELIVER, 1, ports[0], 3, 0, 0, 0, Virq.TIMER, "VIRQ_TIMER"),
                new R(KIND_BIND, 1, ports[1], 2, EvtchnOp.STAT_IPI, 0, 0, 0, "IPI"),
                new R(KIND_SEND, 1, ports[1], 2, EvtchnOp.STAT_IPI, 0, 0, 0, "IPI"),
                new R(KIND_DELIVER, 1, ports[1], 2, 0, 0, 0, 0, "IPI")),
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
        assertEquals(150, records.size());
        for (int i = 1; i < records.size(); i++) {
            assertTrue(records.get(i - 1).timeNs() <= records.get(i).timeNs());
        }
    }
}
