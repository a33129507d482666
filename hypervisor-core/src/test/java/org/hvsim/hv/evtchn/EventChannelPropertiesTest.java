package org.hvsim.hv.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.SharedInfo;
import org.hvsim.hv.abi.VcpuInfo;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;

/**
 * Random sequences of event channel operations between four domains (dom0 privileged), made
 * through the hypercall, checked after every step against {@link EventChannelModel} and against
 * invariants: both ends of a channel agree, a pending bit means an edge was sent and not consumed
 * (the model sets it only on edges and clears it only on a guest scan or a close), a close reverts
 * the peer to unbound for the closer's domain, no port beyond max_evtchn_port is handed out, every
 * selector bit comes with upcall_pending, and each vCPU was kicked exactly on each 0→1 of it. Each
 * port's counters (in status and list snapshots alike) are the model's: sends, and every raise
 * counted as exactly one of coalesced, masked edge or delivered edge, plus upcalls released by unmasks.
 * Domain 3 starts with ports 1..63 in use, so its new ports land in the second bitmap word and
 * the second bucket of channel structures.
 */
class EventChannelPropertiesTest {
    private static final int DOMAINS = 4;
    private static final int[] MAX_PORTS = {12, 12, 12, 140};
    private static final int PREFILLED = 63;
    private static final int VCPUS = 2;

    /** Port arguments: raw numbers (-1..15, and 64, just beyond the valid ones) or "the k-th port in use". */
    private static final int IN_USE = 1000;

    sealed interface Step {}
    record AllocUnbound(int caller, int dom, int remote) implements Step {}
    record BindInterdomain(int caller, int remoteDom, int pick) implements Step {}
    record BindVirq(int caller, int virq, int vcpu) implements Step {}
    record BindIpi(int caller, int vcpu) implements Step {}
    record BindVcpu(int caller, int pick, int vcpu) implements Step {}
    record Send(int caller, int pick) implements Step {}
    record Close(int caller, int pick) implements Step {}
    record Unmask(int caller, int pick) implements Step {}
    record GuestMask(int dom, int pick, boolean masked) implements Step {}
    record Scan(int dom, int vcpu) implements Step {}
    record Reset(int caller, int dom, boolean paused) implements Step {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> dom = Arbitraries.integers().between(0, DOMAINS - 1);
        Arbitrary<Integer> domArg = Arbitraries.of(DomId.SELF, 0, 1, 2, 3, 9);
        Arbitrary<Integer> mostlySelf = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(DomId.SELF)), Tuple.of(2, domArg));
        Arbitrary<Integer> pick = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(-1, 17).map(p -> p == 16 ? 64 : p == 17 ? 128 : p)),
                Tuple.of(3, Arbitraries.integers().between(IN_USE, IN_USE + 20)));
        Arbitrary<Integer> vcpu = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0, VCPUS - 1)), Tuple.of(1, Arbitraries.just(VCPUS)));
        Arbitrary<Integer> virq = Arbitraries.of(Virq.TIMER, Virq.DEBUG, Virq.ARGO, Virq.DOM_EXC, Virq.NR_VIRQS);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(dom, mostlySelf, domArg).as(AllocUnbound::new)),
                Tuple.of(5, Combinators.combine(dom, domArg, pick).as(BindInterdomain::new)),
                Tuple.of(2, Combinators.combine(dom, virq, vcpu).as(BindVirq::new)),
                Tuple.of(2, Combinators.combine(dom, vcpu).as(BindIpi::new)),
                Tuple.of(2, Combinators.combine(dom, pick, vcpu).as(BindVcpu::new)),
                Tuple.of(8, Combinators.combine(dom, pick).as(Send::new)),
                Tuple.of(3, Combinators.combine(dom, pick).as(Close::new)),
                Tuple.of(2, Combinators.combine(dom, pick).as(Unmask::new)),
                Tuple.of(3, Combinators.combine(dom, pick, Arbitraries.of(true, false)).as(GuestMask::new)),
                Tuple.of(4, Combinators.combine(dom, Arbitraries.integers().between(0, VCPUS - 1)).as(Scan::new)),
                Tuple.of(1, Combinators.combine(dom, mostlySelf, Arbitraries.of(true, false)).as(Reset::new)));
        return step.list().ofMinSize(20).ofMaxSize(120).withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 300)
    void hypervisorMatchesTheModelAndKeepsItsInvariants(@ForAll("steps") List<Step> steps) {
        TestHost host = new TestHost();
        TestDomain[] doms = new TestDomain[DOMAINS];
        for (int i = 0; i < DOMAINS; i++) {
            doms[i] = host.add(new TestDomain(i, i == 0, VCPUS, MAX_PORTS[i]));
        }
        Hypercalls hc = new Hypercalls(host);
        EventChannelModel model = new EventChannelModel(MAX_PORTS, VCPUS);
        for (int i = 0; i < PREFILLED; i++) {
            assertEquals(model.bindIpi(3, 1), hc.bindIpi(doms[3], 1));
        }
        int n = 0;
        for (Step step : steps) {
            String where = "step " + n++ + ": " + step;
            apply(step, host, hc, doms, model, where);
            check(host, doms, model, where);
        }
    }

    /** Resolves a port argument: a raw number, or the k-th port in use in {@code dom} (per the model). */
    private static int port(EventChannelModel model, int dom, int pick) {
        if (pick < IN_USE) {
            return pick;
        }
        List<Integer> used = model.doms[dom].inUse();
        return used.isEmpty() ? 1 : used.get((pick - IN_USE) % used.size());
    }

    /** For bind_interdomain: the k-th unbound port anywhere reserved for the caller, or a raw pick. */
    private static int[] remote(EventChannelModel model, int caller, int remoteDom, int pick) {
        if (pick < IN_USE) {
            return new int[] {remoteDom, pick};
        }
        List<int[]> candidates = new ArrayList<>();
        for (EventChannelModel.Dom d : model.doms) {
            for (int p : d.inUse()) {
                EventChannelModel.Port port = d.ports[p];
                if (port.state == ChannelState.UNBOUND && port.unboundRemote == caller) {
                    candidates.add(new int[] {d.id == caller ? DomId.SELF : d.id, p});
                }
            }
        }
        return candidates.isEmpty() ? new int[] {remoteDom, 1} : candidates.get((pick - IN_USE) % candidates.size());
    }

    private static void apply(Step step, TestHost host, Hypercalls hc, TestDomain[] doms, EventChannelModel model,
                              String where) {
        switch (step) {
            case AllocUnbound s -> assertEquals(model.allocUnbound(s.caller, s.dom, s.remote),
                    hc.allocUnbound(doms[s.caller], s.dom, s.remote), where);
            case BindInterdomain s -> {
                int[] r = remote(model, s.caller, s.remoteDom, s.pick);
                assertEquals(model.bindInterdomain(s.caller, r[0], r[1]), hc.bindInterdomain(doms[s.caller], r[0], r[1]), where);
            }
            case BindVirq s -> assertEquals(model.bindVirq(s.caller, s.virq, s.vcpu),
                    hc.bindVirq(doms[s.caller], s.virq, s.vcpu), where);
            case BindIpi s -> assertEquals(model.bindIpi(s.caller, s.vcpu), hc.bindIpi(doms[s.caller], s.vcpu), where);
            case BindVcpu s -> {
                int p = port(model, s.caller, s.pick);
                assertEquals(model.bindVcpu(s.caller, p, s.vcpu), hc.bindVcpu(doms[s.caller], p, s.vcpu), where);
            }
            case Send s -> {
                int p = port(model, s.caller, s.pick);
                assertEquals(model.send(s.caller, p), hc.send(doms[s.caller], p), where);
            }
            case Close s -> {
                int p = port(model, s.caller, s.pick);
                assertEquals(model.close(s.caller, p), hc.close(doms[s.caller], p), where);
            }
            case Unmask s -> {
                int p = port(model, s.caller, s.pick);
                assertEquals(model.unmaskOp(s.caller, p), hc.unmask(doms[s.caller], p), where);
            }
            case GuestMask s -> {
                int p = port(model, s.dom, s.pick);
                if (p >= 0 && p < 4096) {
                    TwoLevelEventScan guest = TestHost.guestView(doms[s.dom]);
                    if (s.masked) {
                        guest.setMask(p);
                    } else {
                        guest.clearMask(p);
                    }
                    model.guestMask(s.dom, p, s.masked);
                }
            }
            case Scan s -> {
                List<Integer> handled = new ArrayList<>();
                TestHost.guestView(doms[s.dom]).scan(s.vcpu, handled::add);
                assertEquals(model.scan(s.dom, s.vcpu), handled, where);
            }
            case Reset s -> {
                EventChannelModel.Dom target = s.dom == DomId.SELF ? model.doms[s.caller]
                        : s.dom < DOMAINS ? model.doms[s.dom] : null;
                if (target != null) {
                    target.paused = s.paused;
                    doms[target.id].controllerPaused = s.paused;
                }
                assertEquals(model.reset(s.caller, s.dom), hc.reset(doms[s.caller], s.dom), where);
            }
        }
    }

    private static void check(TestHost host, TestDomain[] doms, EventChannelModel model, String where) {
        for (TestDomain d : doms) {
            EventChannelModel.Dom m = model.doms[d.domid];
            TwoLevelEventScan guest = TestHost.guestView(d);
            assertEquals(m.validPorts, d.table.validPorts(), where + ": valid ports of d" + d.domid);
            assertTrue(host.evtchn.status(d, m.validPorts).isEmpty(), where);
            int inUse = 0;
            for (int p = 0; p < m.validPorts; p++) {
                PortStatus s = host.evtchn.status(d, p).orElseThrow();
                EventChannelModel.Port mp = m.ports[p];
                String at = where + " / d" + d.domid + ":" + p;
                assertEquals(mp.state, s.state(), at);
                assertEquals(mp.vcpu, s.notifyVcpu(), at);
                assertEquals(m.pending.get(p), guest.isPending(p), at + " pending");
                assertEquals(m.mask.get(p), guest.isMasked(p), at + " mask");
                assertEquals(mp.counts(), s.counts(), at + " counters");
                PortCounts c = s.counts();
                assertTrue(c.maskedDrops() <= c.pendingEdges(), at + " masked drops are edges");
                assertEquals(c.pendingEdges() - c.maskedDrops() + mp.released, c.upcalls(),
                        at + " upcalls: delivered edges plus releases by unmask");
                if (s.state() == ChannelState.FREE) {
                    continue;
                }
                if (p > 0) {
                    inUse++;
                    assertTrue(p <= m.maxPort, at + " beyond max_evtchn_port");
                }
                switch (s.state()) {
                    case UNBOUND -> assertEquals(mp.unboundRemote, s.remoteDomid(), at);
                    case INTERDOMAIN -> {
                        assertEquals(mp.remoteDom, s.remoteDomid(), at);
                        assertEquals(mp.remotePort, s.remotePort(), at);
                        PortStatus peer = host.evtchn.status(doms[s.remoteDomid()], s.remotePort()).orElseThrow();
                        assertEquals(ChannelState.INTERDOMAIN, peer.state(), at + " peer");
                        assertEquals(d.domid, peer.remoteDomid(), at + " peer points back");
                        assertEquals(p, peer.remotePort(), at + " peer points back");
                    }
                    case VIRQ -> assertEquals(mp.virq, s.virq(), at);
                    default -> { }
                }
            }
            assertEquals(inUse, d.table.activeChannels(), where);
            for (PortStatus listed : host.evtchn.list(d)) {
                assertEquals(m.ports[listed.port()].counts(), listed.counts(), where + " / listed d" + d.domid + ":" + listed.port());
            }
            for (int v = 0; v < VCPUS; v++) {
                long sel = d.sharedInfo.getLong(SharedInfo.vcpuInfo(v) + VcpuInfo.EVTCHN_PENDING_SEL);
                String at = where + " / d" + d.domid + " vCPU " + v;
                assertEquals(m.selector[v], sel, at + " selector");
                assertEquals(m.upcallPending[v], guest.isUpcallPending(v), at + " upcall_pending");
                assertTrue(sel == 0 || guest.isUpcallPending(v), at + ": selector without upcall");
                assertEquals(m.kicks[v], d.kicks(v), at + " kicks");
            }
        }
    }
}
