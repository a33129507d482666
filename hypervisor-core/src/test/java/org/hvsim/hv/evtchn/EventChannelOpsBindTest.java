package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EBUSY;
import static org.hvsim.hv.abi.Errno.EEXIST;
import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ENOENT;
import static org.hvsim.hv.abi.Errno.ENOSPC;
import static org.hvsim.hv.abi.Errno.EPERM;
import static org.hvsim.hv.abi.Errno.ESRCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnStatus;
import org.junit.jupiter.api.Test;

/** alloc_unbound, bind_interdomain, bind_virq, bind_ipi and bind_vcpu through the hypercall. */
class EventChannelOpsBindTest {
    private final TestHost host = new TestHost();
    private final TestDomain dom0 = host.dom0();
    private final TestDomain a = host.domU(1);
    private final TestDomain b = host.domU(2);
    private final Hypercalls hc = new Hypercalls(host);

    // ---- alloc_unbound

    @Test
    void allocUnboundHandsOutTheLowestFreePortFromOne() {
        assertEquals(1, hc.allocUnbound(a, DomId.SELF, 2));
        assertEquals(2, hc.allocUnbound(a, DomId.SELF, 2));
        assertEquals(0, hc.close(a, 1));
        assertEquals(1, hc.allocUnbound(a, DomId.SELF, 0), "the freed port 1 is the lowest free again");
        EvtchnStatus s = hc.status(a, DomId.SELF, 1);
        assertEquals(EvtchnOp.STAT_UNBOUND, s.status());
        assertEquals(0, s.unboundDom());
    }

    @Test
    void allocUnboundRemoteDomidSelfMeansTheCaller() {
        int port = hc.allocUnbound(dom0, 1, DomId.SELF);
        assertEquals(0, hc.status(a, DomId.SELF, port).unboundDom(), "DOMID_SELF is dom0, the caller, not d1");
    }

    @Test
    void allocUnboundInAnotherDomainNeedsPrivilege() {
        assertEquals(-EPERM, hc.allocUnbound(a, 2, 0));
        assertEquals(1, hc.allocUnbound(a, 1, 0), "naming itself by id is allowed");
        int port = hc.allocUnbound(dom0, 2, 1);
        assertEquals(1, port, "dom0 allocates in d2's table");
        assertEquals(EvtchnOp.STAT_UNBOUND, hc.status(b, DomId.SELF, port).status());
        assertEquals(1, b.table.activeChannels());
    }

    @Test
    void allocUnboundInAnUnknownDomainIsEsrch() {
        assertEquals(-ESRCH, hc.allocUnbound(dom0, 77, 0));
        assertEquals(-ESRCH, hc.allocUnbound(a, 77, 0), "the domain lookup comes before the permission check");
    }

    @Test
    void portsRunOutAtMaxPort() {
        TestDomain small = host.add(new TestDomain(5, false, 1, 3));
        assertEquals(1, hc.allocUnbound(small, DomId.SELF, 0));
        assertEquals(2, hc.bindIpi(small, 0));
        assertEquals(3, hc.bindVirq(small, Virq.TIMER, 0));
        assertEquals(-ENOSPC, hc.allocUnbound(small, DomId.SELF, 0));
        assertEquals(-ENOSPC, hc.bindIpi(small, 0));
        assertEquals(-ENOSPC, hc.bindInterdomain(small, 1, hc.allocUnbound(a, DomId.SELF, 5)));
        assertEquals(0, hc.close(small, 2));
        assertEquals(2, hc.bindIpi(small, 0));
    }

    @Test
    void noPortCanBeAllocatedInADyingDomain() {
        b.dying = true;
        assertEquals(-EINVAL, hc.allocUnbound(b, DomId.SELF, 0));
        assertEquals(-EINVAL, hc.allocUnbound(dom0, 2, 0));
        assertEquals(-EINVAL, hc.bindIpi(b, 0));
    }

    // ---- bind_interdomain

    @Test
    void bindInterdomainConnectsBothEndsAndLeavesTheLocalPortPending() {
        int ap = hc.allocUnbound(a, DomId.SELF, 2);
        int bp = hc.bindInterdomain(b, 1, ap);
        assertEquals(1, bp);
        EvtchnStatus as = hc.status(a, DomId.SELF, ap);
        assertEquals(EvtchnOp.STAT_INTERDOMAIN, as.status());
        assertEquals(2, as.interdomainDom());
        assertEquals(bp, as.interdomainPort());
        EvtchnStatus bs = hc.status(b, DomId.SELF, bp);
        assertEquals(1, bs.interdomainDom());
        assertEquals(ap, bs.interdomainPort());
        assertTrue(host.evtchn.isPending(b, bp), "notifications to the unbound end may have been lost");
        assertFalse(host.evtchn.isPending(a, ap));
        assertEquals(1, b.kicks(0));
    }

    @Test
    void bindInterdomainLoopbackWithDomidSelf() {
        int p1 = hc.allocUnbound(a, DomId.SELF, DomId.SELF);
        int p2 = hc.bindInterdomain(a, DomId.SELF, p1);
        assertEquals(2, p2);
        TestHost.guestView(a).clearPending(p2);
        assertEquals(0, hc.send(a, p2));
        assertTrue(host.evtchn.isPending(a, p1));
        assertEquals(0, hc.send(a, p1));
        assertTrue(host.evtchn.isPending(a, p2));
    }

    @Test
    void bindInterdomainNeedsAnUnboundPortReservedForTheCaller() {
        int forB = hc.allocUnbound(a, DomId.SELF, 2);
        assertEquals(-EINVAL, hc.bindInterdomain(dom0, 1, forB), "reserved for d2, not dom0");
        int ipi = hc.bindIpi(a, 0);
        assertEquals(-EINVAL, hc.bindInterdomain(b, 1, ipi), "not unbound");
        assertEquals(-EINVAL, hc.bindInterdomain(b, 1, 0), "port 0 is reserved");
        assertEquals(-EINVAL, hc.bindInterdomain(b, 1, 40), "valid but free");
        assertEquals(-EINVAL, hc.bindInterdomain(b, 1, 4000), "out of range");
        assertEquals(-EINVAL, hc.bindInterdomain(b, 1, -1), "ports are unsigned");
        assertTrue(hc.bindInterdomain(b, 1, forB) > 0);
        assertEquals(-EINVAL, hc.bindInterdomain(b, 1, forB), "already connected");
        assertEquals(2, a.table.activeChannels());
        assertEquals(1, b.table.activeChannels(), "failed binds allocate nothing");
    }

    @Test
    void bindInterdomainToAnUnknownDomainIsEsrch() {
        assertEquals(-ESRCH, hc.bindInterdomain(a, 99, 1));
    }

    // ---- bind_virq

    @Test
    void bindVirqBindsAPerVcpuVirqToItsVcpu() {
        int port = hc.bindVirq(a, Virq.TIMER, 2);
        EvtchnStatus s = hc.status(a, DomId.SELF, port);
        assertEquals(EvtchnOp.STAT_VIRQ, s.status());
        assertEquals(Virq.TIMER, s.virq());
        assertEquals(2, s.vcpu());
        assertEquals(port + 1, hc.bindVirq(a, Virq.TIMER, 3), "each vCPU has its own TIMER binding");
    }

    @Test
    void bindVirqRejectsNumbersOutsideTheTable() {
        assertEquals(-EINVAL, hc.bindVirq(a, Virq.NR_VIRQS, 0));
        assertEquals(-EINVAL, hc.bindVirq(a, -1, 0), "0xffffffff");
    }

    @Test
    void nonPerVcpuVirqsMustBeBoundOnVcpuZero() {
        assertEquals(-EINVAL, hc.bindVirq(dom0, Virq.DOM_EXC, 1));
        assertEquals(-EINVAL, hc.bindVirq(a, Virq.ARGO, 1));
        assertTrue(hc.bindVirq(a, Virq.ARGO, 0) > 0);
    }

    @Test
    void bindVirqOnAMissingVcpuIsEnoent() {
        assertEquals(-ENOENT, hc.bindVirq(a, Virq.TIMER, 4));
        assertEquals(-ENOENT, hc.bindVirq(a, Virq.TIMER, -1));
    }

    @Test
    void bindingAVirqTwiceOnAVcpuIsEexistUntilClosed() {
        int port = hc.bindVirq(a, Virq.DEBUG, 1);
        assertEquals(-EEXIST, hc.bindVirq(a, Virq.DEBUG, 1));
        assertEquals(0, hc.close(a, port));
        assertEquals(port, hc.bindVirq(a, Virq.DEBUG, 1));
    }

    @Test
    void aGlobalVirqOwnedByAnotherDomainIsEbusy() {
        assertEquals(-EBUSY, hc.bindVirq(a, Virq.DOM_EXC, 0), "dom0 handles global VIRQs by default");
        int dom0Port = hc.bindVirq(dom0, Virq.DOM_EXC, 0);
        assertTrue(dom0Port > 0);

        assertEquals(-EBUSY, host.evtchn.setGlobalVirqHandler(Virq.DOM_EXC, a), "dom0 still has it bound");
        assertEquals(0, hc.close(dom0, dom0Port));
        assertEquals(0, host.evtchn.setGlobalVirqHandler(Virq.DOM_EXC, a));
        assertTrue(hc.bindVirq(a, Virq.DOM_EXC, 0) > 0);
        assertEquals(-EBUSY, hc.bindVirq(dom0, Virq.DOM_EXC, 0));
    }

    // ---- bind_ipi

    @Test
    void bindIpiBindsToItsVcpuAndSendRaisesItOnThatVcpu() {
        int port = hc.bindIpi(a, 3);
        EvtchnStatus s = hc.status(a, DomId.SELF, port);
        assertEquals(EvtchnOp.STAT_IPI, s.status());
        assertEquals(3, s.vcpu());
        assertEquals(0, hc.send(a, port));
        assertTrue(host.evtchn.isPending(a, port));
        assertEquals(1, a.kicks(3));
        assertEquals(0, a.kicks(0));
    }

    @Test
    void bindIpiOnAMissingVcpuIsEnoent() {
        assertEquals(-ENOENT, hc.bindIpi(a, 4));
    }

    // ---- bind_vcpu

    @Test
    void bindVcpuRetargetsUnboundInterdomainAndGlobalVirqPorts() {
        int unbound = hc.allocUnbound(a, DomId.SELF, 2);
        assertEquals(0, hc.bindVcpu(a, unbound, 2));
        assertEquals(2, hc.status(a, DomId.SELF, unbound).vcpu());
        int bp = hc.bindInterdomain(b, 1, unbound);
        assertEquals(0, hc.send(b, bp));
        assertEquals(1, a.kicks(2), "events on the port now go to vCPU 2");
        int global = hc.bindVirq(dom0, Virq.CON_RING, 0);
        assertEquals(0, hc.bindVcpu(dom0, global, 3));
        assertEquals(0, hc.bindVcpu(a, hc.bindVirq(a, Virq.ARGO, 0), 1));
    }

    @Test
    void bindVcpuOnIpiPerVcpuVirqOrFreePortsIsEinval() {
        assertEquals(-EINVAL, hc.bindVcpu(a, hc.bindIpi(a, 0), 1));
        assertEquals(-EINVAL, hc.bindVcpu(a, hc.bindVirq(a, Virq.TIMER, 0), 1));
        assertEquals(-EINVAL, hc.bindVcpu(a, 30, 1), "free");
        assertEquals(-EINVAL, hc.bindVcpu(a, 0, 1), "reserved");
        assertEquals(-EINVAL, hc.bindVcpu(a, 3000, 1), "out of range");
    }

    @Test
    void bindVcpuChecksTheVcpuBeforeThePort() {
        assertEquals(-ENOENT, hc.bindVcpu(a, 3000, 4));
        assertEquals(-ENOENT, hc.bindVcpu(a, hc.allocUnbound(a, DomId.SELF, 0), -1));
    }

    @Test
    void aFreedPortComesBackNotifyingVcpuZero() {
        int port = hc.allocUnbound(a, DomId.SELF, 0);
        assertEquals(0, hc.bindVcpu(a, port, 3));
        assertEquals(0, hc.close(a, port));
        assertEquals(port, hc.allocUnbound(a, DomId.SELF, 0));
        assertEquals(0, hc.status(a, DomId.SELF, port).vcpu());
    }
}
