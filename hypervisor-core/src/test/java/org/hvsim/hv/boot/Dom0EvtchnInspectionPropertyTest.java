package org.hvsim.hv.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.evtchn.EventChannelManager;
import org.hvsim.hv.evtchn.PortLabels;
import org.hvsim.hv.evtchn.PortStatus;
import org.hvsim.hv.privcmd.PrivcmdLimits;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.VcpuRunstate;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;
import org.hvsim.proto.privcmd.VcpuRunstateResult;

/**
 * Whatever dom0 sends as an EvtchnQuery, EvtchnLabel or VcpuRunstateQuery (any domid, port, single
 * flag, label text), the hypervisor answers without throwing, with an error only from Xen's set, and
 * changes nothing but the labels of bound ports, each to a valid text dom0 sent for it.
 */
class Dom0EvtchnInspectionPropertyTest {
    private static TestHost host;
    private static EventChannelManager evtchn;
    private static Dom0EvtchnInspection inspection;
    private static Dom0HostInspection hostInspection;
    private static final int BOUND = 70;

    sealed interface Request {}
    record Query(int domid, boolean single, int port) implements Request {}
    record Label(int domid, int port, String text) implements Request {}
    record Runstate(int domid) implements Request {}

    @BeforeContainer
    static void boot() throws Exception {
        host = TestHost.start(1, 64);
        evtchn = host.hv().evtchn();
        inspection = new Dom0EvtchnInspection(host.hv().domains(), evtchn);
        hostInspection = new Dom0HostInspection(inspection, new Dom0RunstateInspection(host.hv().domains(),
                host.hv().clock()), host.hv().scheduler().trace());
        for (int i = 0; i < BOUND; i++) {
            evtchn.bindIpi(host.dom0(), 0);
        }
        evtchn.allocUnbound(host.dom0(), 0);
    }

    @AfterContainer
    static void shutDown() throws Exception {
        host.close();
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        Arbitrary<Integer> domid = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.of(1, DomId.SELF, DomId.XEN, DomId.INVALID, DomId.IDLE, -1, Integer.MIN_VALUE)),
                Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Integer> port = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, BOUND + 70)),
                Tuple.of(2, Arbitraries.of(-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 4095, 4096, 1 << 16)),
                Tuple.of(1, Arbitraries.integers()));
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars(' ', '-', '/').ofMinLength(1).ofMaxLength(20)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().all().ofMinLength(60).ofMaxLength(300)),
                Tuple.of(1, Arbitraries.of("", "é".repeat(32), "é".repeat(33), "\uD83D\uDE00".repeat(17), "\uD800",
                        "a\u0000b", "line\n", "x".repeat(64), "x".repeat(65), "x".repeat(100_000))));
        Arbitrary<Request> request = Arbitraries.oneOf(
                Combinators.combine(domid, Arbitraries.of(true, false), port).as(Query::new),
                Combinators.combine(domid, port, text).as(Label::new),
                domid.map(Runstate::new));
        return request.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 200)
    void anyQueryOrLabelIsAnsweredAndChangesOnlyLabelsOfBoundPorts(@ForAll("requests") List<Request> requests) {
        Domain dom0 = host.dom0();
        List<PortStatus> before = everyPort(dom0);
        Map<Integer, java.util.Set<String>> sent = new HashMap<>();
        long id = 0;
        for (Request r : requests) {
            switch (r) {
                case Query q -> {
                    EvtchnQueryResult result = hostInspection.queryEvtchn(EvtchnQuery.newBuilder().setId(++id)
                            .setDomid(q.domid).setSingle(q.single).setPort(q.port).build());
                    assertEquals(id, result.getId());
                    assertTrue(List.of(0, -Errno.ESRCH, -Errno.EINVAL).contains(result.getError()), result.toString());
                    assertTrue(result.getPortsCount() <= PrivcmdLimits.MAX_QUERY_PORTS);
                    if (result.getError() == 0 && q.single) {
                        assertEquals(1, result.getPortsCount());
                        assertEquals(q.port, result.getPorts(0).getPort());
                    }
                    if (q.domid != 0) {
                        assertEquals(-Errno.ESRCH, result.getError(), "only dom0 exists");
                    }
                }
                case Runstate q -> {
                    VcpuRunstateResult result = hostInspection.queryRunstate(VcpuRunstateQuery.newBuilder()
                            .setId(++id).setDomid(q.domid).build());
                    assertEquals(id, result.getId());
                    assertEquals(q.domid == 0 ? 0 : -Errno.ESRCH, result.getError(), result.toString());
                    assertEquals(q.domid == 0 ? dom0.maxVcpus() : 0, result.getVcpusCount());
                    for (VcpuRunstate v : result.getVcpusList()) {
                        assertTrue(v.getState() >= 0 && v.getState() <= 3, v.toString());
                        assertTrue(v.getRunningNs() >= 0 && v.getRunnableNs() >= 0 && v.getBlockedNs() >= 0
                                && v.getOfflineNs() >= 0, v.toString());
                    }
                }
                case Label l -> {
                    hostInspection.labelEvtchn(EvtchnLabel.newBuilder().setDomid(l.domid).setPort(l.port)
                            .setLabel(l.text).build());
                    if (l.domid == 0) {
                        sent.computeIfAbsent(l.port, p -> new java.util.HashSet<>()).add(l.text);
                    }
                }
            }
        }
        List<PortStatus> after = everyPort(dom0);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            PortStatus b = before.get(i);
            PortStatus a = after.get(i);
            assertEquals(withoutLabel(b), withoutLabel(a), "port " + b.port());
            if (!a.label().equals(b.label())) {
                assertTrue(b.state().isBound(), "label changed on unbound port " + b.port());
                assertTrue(PortLabels.isValid(a.label()), a.label());
                assertTrue(sent.getOrDefault(b.port(), java.util.Set.of()).contains(a.label()),
                        "port " + b.port() + " got a label nobody sent for it: " + a.label());
            }
        }
    }

    private static List<PortStatus> everyPort(Domain d) {
        List<PortStatus> ports = new java.util.ArrayList<>();
        for (int p = 0; ; p++) {
            var s = evtchn.status(d, p);
            if (s.isEmpty()) {
                return ports;
            }
            ports.add(s.get());
        }
    }

    private static PortStatus withoutLabel(PortStatus s) {
        return new PortStatus(s.port(), s.state(), s.notifyVcpu(), s.remoteDomid(), s.remotePort(), s.virq(),
                s.xenAttached(), s.pending(), s.masked(), "", s.counts());
    }
}
