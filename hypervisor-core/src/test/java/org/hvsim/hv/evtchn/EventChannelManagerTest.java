package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EBUSY;
import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ESRCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Virq;
import org.junit.jupiter.api.Test;

/** The hypervisor's own event channel calls: VIRQs, notify, Xen-attached ports, destroy, inspection. */
class EventChannelManagerTest {
    private final TestHost host = new TestHost();
    private final EventChannelManager evtchn = host.evtchn;
    private final TestDomain dom0 = host.dom0();
    private final TestDomain a = host.domU(1);
    private final TestDomain b = host.domU(2);

    // ---- VIRQs

    @Test
    void aPerVcpuVirqIsRaisedOnlyOnTheVcpuItIsBoundTo() {
        int t1 = evtchn.bindVirq(a, Virq.TIMER, 1);
        evtchn.sendVirq(a, 0, Virq.TIMER);
        assertFalse(evtchn.isPending(a, t1), "vCPU 0 has no TIMER binding");
        evtchn.sendVirq(a, 1, Virq.TIMER);
        assertTrue(evtchn.isPending(a, t1));
        assertEquals(1, a.kicks(1));
    }

    @Test
    void aDomainVirqGoesToItsPortsNotifyVcpu() {
        int port = evtchn.bindVirq(a, Virq.ARGO, 0);
        assertEquals(0, evtchn.bindVcpu(a, port, 2));
        evtchn.sendDomainVirq(a, Virq.ARGO);
        assertTrue(evtchn.isPending(a, port));
        assertEquals(1, a.kicks(2));
    }

    @Test
    void aGlobalVirqGoesToDom0UnlessHandedToAnotherDomain() {
        int dom0Port = evtchn.bindVirq(dom0, Virq.DOM_EXC, 0);
        evtchn.sendGlobalVirq(Virq.DOM_EXC);
        assertTrue(evtchn.isPending(dom0, dom0Port));

        assertEquals(0, evtchn.close(dom0, dom0Port));
        assertEquals(0, evtchn.setGlobalVirqHandler(Virq.DOM_EXC, b));
        assertSame(b, evtchn.globalVirqHandler(Virq.DOM_EXC));
        int bPort = evtchn.bindVirq(b, Virq.DOM_EXC, 0);
        evtchn.sendGlobalVirq(Virq.DOM_EXC);
        assertTrue(evtchn.isPending(b, bPort));
    }

    @Test
    void setGlobalVirqHandlerAcceptsOnlyGlobalVirqsAndLiveDomains() {
        assertEquals(-EINVAL, evtchn.setGlobalVirqHandler(Virq.TIMER, a));
        assertEquals(-EINVAL, evtchn.setGlobalVirqHandler(Virq.ARGO, a));
        assertEquals(-EINVAL, evtchn.setGlobalVirqHandler(Virq.NR_VIRQS, a));
        a.dying = true;
        assertEquals(-EINVAL, evtchn.setGlobalVirqHandler(Virq.CONSOLE, a));
        assertEquals(0, evtchn.setGlobalVirqHandler(Virq.CONSOLE, dom0), "already dom0's: nothing to do");
    }

    @Test
    void aGlobalVirqIsDroppedWhenNoDomainHandlesIt() {
        TestHost empty = new TestHost();
        assertNull(empty.evtchn.globalVirqHandler(Virq.CON_RING));
        empty.evtchn.sendGlobalVirq(Virq.CON_RING);
        assertEquals(-EBUSY, empty.evtchn.bindVirq(empty.domU(3), Virq.CON_RING, 0));
    }

    @Test
    void virqSendsRejectTheWrongKindOfVirq() {
        assertThrows(IllegalArgumentException.class, () -> evtchn.sendVirq(a, 0, Virq.DOM_EXC));
        assertThrows(IllegalArgumentException.class, () -> evtchn.sendVirq(a, 9, Virq.TIMER));
        assertThrows(IllegalArgumentException.class, () -> evtchn.sendDomainVirq(a, Virq.TIMER));
        assertThrows(IllegalArgumentException.class, () -> evtchn.sendGlobalVirq(Virq.ARGO));
    }

    // ---- alloc/bind from the hypervisor, notify

    @Test
    void theHypervisorWiresAChannelBetweenTwoDomains() {
        int ap = evtchn.allocUnbound(a, 2);
        int bp = evtchn.bindInterdomain(b, 1, ap);
        assertTrue(bp > 0);
        assertEquals(0, evtchn.notify(a, ap), "notify is a send from the hypervisor's side");
        assertTrue(evtchn.isPending(b, bp));
        assertEquals(-ESRCH, evtchn.bindInterdomain(b, 9, 1));
        int loop = evtchn.allocUnbound(a, DomId.SELF);
        assertTrue(evtchn.bindInterdomain(a, DomId.SELF, loop) > 0, "DOMID_SELF names the domain itself");
    }

    // ---- Xen-attached ports

    @Test
    void aXenAttachedPortDeliversTheRemoteSendToTheHypervisor() {
        List<String> seen = new ArrayList<>();
        int xp = evtchn.allocXenUnbound(a, 3, 2, (d, vcpu, port) -> seen.add(d + "/" + vcpu + "/" + port));
        int bp = evtchn.bindInterdomain(b, 1, xp);
        assertEquals(0, evtchn.send(b, bp));
        assertEquals(List.of("d1/3/" + xp), seen);
        assertFalse(TestHost.guestView(a).isPending(xp), "the guest never sees a Xen-attached port raised");
        assertFalse(evtchn.isPending(a, xp));
        assertTrue(evtchn.isMasked(a, xp));

        assertEquals(-EINVAL, evtchn.send(a, xp), "the guest cannot send on it");
        assertEquals(-EINVAL, evtchn.close(a, xp), "nor close it");
        assertEquals(-EINVAL, evtchn.bindVcpu(a, xp, 0), "nor re-bind it");
        TestHost.guestView(b).clearPending(bp);
        assertEquals(0, evtchn.notify(a, xp), "the hypervisor raises the remote end");
        assertTrue(evtchn.isPending(b, bp));

        assertTrue(evtchn.status(a, xp).orElseThrow().xenAttached());
        assertEquals(0, evtchn.closeXen(a, xp));
        assertEquals(ChannelState.UNBOUND, evtchn.status(b, bp).orElseThrow().state());
    }

    // ---- destroy

    @Test
    void destroyClosesEveryPortAndRevertsPeers() {
        int ap = evtchn.allocUnbound(a, 2);
        int bp = evtchn.bindInterdomain(b, 1, ap);
        int loop = evtchn.allocUnbound(a, DomId.SELF);
        evtchn.bindInterdomain(a, DomId.SELF, loop);
        evtchn.allocXenUnbound(a, 0, 0, (d, v, p) -> { });
        evtchn.bindVirq(a, Virq.TIMER, 3);
        assertThrows(IllegalStateException.class, () -> evtchn.destroy(a), "only a dying domain");

        a.dying = true;
        evtchn.destroy(a);
        assertEquals(0, a.table.activeChannels());
        assertTrue(evtchn.list(a).isEmpty());
        PortStatus peer = evtchn.status(b, bp).orElseThrow();
        assertEquals(ChannelState.UNBOUND, peer.state());
        assertEquals(1, peer.remoteDomid());
        assertEquals(-EINVAL, evtchn.allocUnbound(a, 0), "nothing is allocated in a dying domain");
    }

    @Test
    void destroyHandsGlobalVirqsBackToDom0() {
        assertEquals(0, evtchn.setGlobalVirqHandler(Virq.DOM_EXC, a));
        a.dying = true;
        evtchn.destroy(a);
        assertSame(dom0, evtchn.globalVirqHandler(Virq.DOM_EXC));
    }

    // ---- inspection

    @Test
    void statusAndListDescribeThePorts() {
        int ap = evtchn.allocUnbound(a, 2);
        int bp = evtchn.bindInterdomain(b, 1, ap);
        int timer = evtchn.bindVirq(b, Virq.TIMER, 1);
        TestHost.guestView(b).setMask(timer);

        List<PortStatus> ports = evtchn.list(b);
        assertEquals(List.of(bp, timer), ports.stream().map(PortStatus::port).toList());
        PortStatus s = ports.get(0);
        assertEquals(ChannelState.INTERDOMAIN, s.state());
        assertEquals(1, s.remoteDomid());
        assertEquals(ap, s.remotePort());
        assertTrue(s.pending(), "left pending by bind_interdomain");
        assertFalse(s.masked());
        PortStatus t = ports.get(1);
        assertEquals(Virq.TIMER, t.virq());
        assertEquals(1, t.notifyVcpu());
        assertTrue(t.masked());
        assertEquals(4, t.statusCode());

        PortStatus zero = evtchn.status(b, 0).orElseThrow();
        assertEquals(ChannelState.RESERVED, zero.state());
        assertEquals(0, zero.statusCode(), "port 0 reports closed");
        assertTrue(evtchn.status(b, 64).isEmpty());
    }

    @Test
    void pollReportsPendingForBoundPortsOnly() {
        int port = evtchn.bindIpi(a, 0);
        assertEquals(0, evtchn.poll(a, port));
        evtchn.send(a, port);
        assertEquals(1, evtchn.poll(a, port));
        assertEquals(-EINVAL, evtchn.poll(a, 40));
        assertEquals(-EINVAL, evtchn.poll(a, 4000));
        assertEquals(-EINVAL, evtchn.poll(a, 0));
    }
}
