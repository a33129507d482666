package org.hvsim.hv.boot;

import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ESRCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.evtchn.EvtchnTraceRecord;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.evtchn.EventChannelManager;
import org.hvsim.hv.evtchn.PortStatus;
import org.hvsim.hv.privcmd.PrivcmdLimits;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnPortInfo;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dom0's event channel queries, labels and trace control against a real in-process hypervisor. */
class Dom0EvtchnInspectionTest {
    private final TestHost host;
    private final Domain dom0;
    private final EventChannelManager evtchn;
    private final Dom0EvtchnInspection inspection;

    Dom0EvtchnInspectionTest() throws Exception {
        host = TestHost.start(1, 64);
        dom0 = host.dom0();
        evtchn = host.hv().evtchn();
        inspection = new Dom0EvtchnInspection(host.hv().domains(), evtchn);
    }

    @AfterEach
    void close() throws Exception {
        evtchn.trace().stop();
        host.close();
    }

    private EvtchnQueryResult query(long id, int domid, boolean single, int port) {
        return inspection.queryEvtchn(EvtchnQuery.newBuilder().setId(id).setDomid(domid).setSingle(single)
                .setPort(port).build());
    }

    @Test
    void anUnknownOrReservedDomainIsEsrchWithTheQueryId() {
        for (int domid : new int[] {1, 77, DomId.SELF, DomId.XEN, DomId.INVALID, DomId.IDLE, 0x8000, -1,
                Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            EvtchnQueryResult r = query(domid & 0xffL | 0x100, domid, false, 1);
            assertEquals(-ESRCH, r.getError(), "domid " + Integer.toUnsignedString(domid));
            assertEquals(domid & 0xffL | 0x100, r.getId());
            assertEquals(0, r.getPortsCount());
            assertEquals(-ESRCH, query(1, domid, true, 1).getError());
        }
    }

    @Test
    void aSinglePortIsReportedWhateverItsStateAndBeyondTheTableIsEinval() {
        int port = evtchn.bindIpi(dom0, 0);
        assertEquals(0, evtchn.label(dom0, port, "my ipi"));
        EvtchnQueryResult r = query(5, 0, true, port);
        assertEquals(0, r.getError());
        assertEquals(5, r.getId());
        assertEquals(dom0.eventChannels().maxPort(), r.getMaxPort());
        EvtchnPortInfo info = r.getPorts(0);
        assertEquals(port, info.getPort());
        assertEquals(EvtchnOp.STAT_IPI, info.getStatus());
        assertEquals("my ipi", info.getLabel());
        assertEquals(0, info.getRemoteDomid(), "DOMID_INVALID is reported as 0");

        int free = lastValidPort();
        EvtchnQueryResult closed = query(6, 0, true, free);
        assertEquals(0, closed.getError());
        assertEquals(EvtchnOp.STAT_CLOSED, closed.getPorts(0).getStatus());

        assertEquals(-EINVAL, query(7, 0, true, free + 1).getError());
        assertEquals(-EINVAL, query(7, 0, true, 1 << 20).getError());
        assertEquals(-EINVAL, query(8, 0, true, -1).getError(), "uint32 ports above 2^31 arrive negative");
        assertEquals(-EINVAL, query(8, 0, true, Integer.MIN_VALUE).getError());
    }

    @Test
    void aListingFromANegativeOrFarPortIsEmptyNotAnError() {
        evtchn.bindIpi(dom0, 0);
        for (int from : new int[] {-1, Integer.MIN_VALUE, 1 << 20, Integer.MAX_VALUE}) {
            EvtchnQueryResult r = query(9, 0, false, from);
            assertEquals(0, r.getError());
            assertEquals(0, r.getPortsCount());
            assertEquals(0, r.getNextPort());
        }
    }

    @Test
    void listingsComeInPagesOfMaxQueryPortsWithNextPort() {
        for (int i = 0; i < 700; i++) {
            assertTrue(evtchn.bindIpi(dom0, 0) > 0);
        }
        List<Integer> expected = evtchn.list(dom0).stream().map(PortStatus::port).toList();
        assertTrue(expected.size() > 2 * PrivcmdLimits.MAX_QUERY_PORTS - 400);

        List<Integer> paged = new ArrayList<>();
        int from = 1;
        int queries = 0;
        while (true) {
            EvtchnQueryResult r = query(queries, 0, false, from);
            queries++;
            assertEquals(0, r.getError());
            assertTrue(r.getPortsCount() <= PrivcmdLimits.MAX_QUERY_PORTS);
            r.getPortsList().forEach(p -> paged.add(p.getPort()));
            if (r.getNextPort() == 0) {
                break;
            }
            assertEquals(PrivcmdLimits.MAX_QUERY_PORTS, r.getPortsCount(), "only a full page says go on");
            assertEquals(r.getPorts(r.getPortsCount() - 1).getPort() + 1, r.getNextPort());
            from = r.getNextPort();
        }
        assertEquals(2, queries);
        assertEquals(expected, paged);
    }

    @Test
    void labelsReachBoundPortsOnlyAndBadOnesAreIgnored() {
        int port = evtchn.bindIpi(dom0, 0);
        inspection.labelEvtchn(EvtchnLabel.newBuilder().setDomid(0).setPort(port).setLabel("xenstore").build());
        assertEquals("xenstore", evtchn.status(dom0, port).orElseThrow().label());
        inspection.labelEvtchn(EvtchnLabel.newBuilder().setDomid(0).setPort(port).setLabel("x".repeat(65)).build());
        inspection.labelEvtchn(EvtchnLabel.newBuilder().setDomid(0).setPort(port).setLabel("").build());
        inspection.labelEvtchn(EvtchnLabel.newBuilder().setDomid(-1).setPort(port).setLabel("other").build());
        inspection.labelEvtchn(EvtchnLabel.newBuilder().setDomid(0).setPort(-port).setLabel("other").build());
        assertEquals("xenstore", evtchn.status(dom0, port).orElseThrow().label());
        inspection.labelEvtchn(EvtchnLabel.newBuilder().setDomid(0).setPort(lastValidPort()).setLabel("free").build());
        assertEquals("", evtchn.status(dom0, lastValidPort()).orElseThrow().label());
    }

    @Test
    void traceControlStartsAndStopsTheHypervisorsTraceAndBatchesArriveAsMessages() {
        ConcurrentLinkedQueue<EvtchnTraceBatch> batches = new ConcurrentLinkedQueue<>();
        inspection.traceEvtchn(batches::add);
        assertTrue(evtchn.trace().enabled());
        int port = evtchn.bindIpi(dom0, 0);
        assertEquals(0, evtchn.label(dom0, port, "traced"));
        evtchn.send(dom0, port);

        List<EvtchnTraceRecord> records = new ArrayList<>();
        java.util.Map<Integer, String> labels = new java.util.HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (records.stream().noneMatch(r -> r.kind() == EvtchnTraceRecord.KIND_SEND)
                && System.nanoTime() < deadline) {
            EvtchnTraceBatch b = batches.poll();
            if (b == null) {
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            labels.putAll(b.getLabelsMap());
            for (int i = 0; i < b.getWordsCount(); i += 3) {
                records.add(EvtchnTraceRecord.decode(b.getWords(i), b.getWords(i + 1), b.getWords(i + 2)));
            }
        }
        EvtchnTraceRecord send = records.stream().filter(r -> r.kind() == EvtchnTraceRecord.KIND_SEND
                && r.port() == port).findFirst().orElseThrow(() -> new AssertionError("no send in " + records));
        assertEquals("traced", labels.get(send.labelId()));
        assertEquals(EvtchnTraceRecord.SEND_DELIVERED, send.status(), "a fresh IPI port: a new edge");
        assertEquals(List.of(0, port, send.labelId()), List.of(send.remoteDomid(), send.remotePort(),
                send.remoteLabelId()), "an IPI raises its own port");
        assertTrue(records.stream().anyMatch(r -> r.kind() == EvtchnTraceRecord.KIND_BIND && r.port() == port));

        inspection.traceEvtchn(null);
        assertFalse(evtchn.trace().enabled());
    }

    /** The highest valid port of dom0's table, free in these tests. */
    private int lastValidPort() {
        int p = 1;
        while (evtchn.status(dom0, p + 1).isPresent()) {
            p++;
        }
        return p;
    }
}
