package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.EPERM;
import static org.hvsim.hv.abi.Errno.ESRCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnStatus;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;
import org.junit.jupiter.api.Test;

/** close, send, status and unmask through the hypercall. */
class EventChannelOpsCloseSendTest {
    private final TestHost host = new TestHost();
    private final TestDomain dom0 = host.dom0();
    private final TestDomain a = host.domU(1);
    private final TestDomain b = host.domU(2);
    private final Hypercalls hc = new Hypercalls(host);

    /** A channel a:ap ↔ b:bp with b's initial pending edge consumed by an upcall. Returns {ap, bp}. */
    private int[] connect() {
        int ap = hc.allocUnbound(a, DomId.SELF, 2);
        int bp = hc.bindInterdomain(b, 1, ap);
        assertEquals(1, TestHost.guestView(b).scan(0, port -> assertEquals(bp, port)));
        return new int[] {ap, bp};
    }

    // ---- close

    @Test
    void closeOfInvalidFreeOrReservedPortsIsEinval() {
        assertEquals(-EINVAL, hc.close(a, 0), "port 0 is reserved");
        assertEquals(-EINVAL, hc.close(a, 17), "valid but free");
        assertEquals(-EINVAL, hc.close(a, 1023), "beyond the allocated buckets");
        assertEquals(-EINVAL, hc.close(a, -5));
        int port = hc.bindIpi(a, 0);
        assertEquals(0, hc.close(a, port));
        assertEquals(-EINVAL, hc.close(a, port), "closing twice");
    }

    @Test
    void closeRevertsTheInterdomainPeerToUnboundForTheClosersDomain() {
        int[] ch = connect();
        assertEquals(0, hc.close(a, ch[0]));
        assertEquals(EvtchnOp.STAT_CLOSED, hc.status(a, DomId.SELF, ch[0]).status());
        EvtchnStatus peer = hc.status(b, DomId.SELF, ch[1]);
        assertEquals(EvtchnOp.STAT_UNBOUND, peer.status());
        assertEquals(1, peer.unboundDom(), "reserved for d1, the domain that closed");
        assertEquals(0, hc.send(b, ch[1]), "sending on the now-unbound end is silently dropped");

        int again = hc.bindInterdomain(a, 2, ch[1]);
        assertTrue(again > 0, "d1 can connect to the reverted end again");
        assertEquals(again, hc.status(b, DomId.SELF, ch[1]).interdomainPort());
    }

    @Test
    void closeClearsThePendingBitSoAReusedPortStartsClean() {
        int[] ch = connect();
        assertEquals(0, hc.send(b, ch[1]));
        assertTrue(host.evtchn.isPending(a, ch[0]));
        assertEquals(0, hc.close(a, ch[0]));
        assertFalse(TestHost.guestView(a).isPending(ch[0]));
        assertEquals(ch[0], hc.bindIpi(a, 0));
        assertFalse(host.evtchn.isPending(a, ch[0]));
    }

    @Test
    void closingAVirqPortUnbindsTheVirq() {
        int port = hc.bindVirq(a, Virq.TIMER, 1);
        assertEquals(0, hc.close(a, port));
        host.evtchn.sendVirq(a, 1, Virq.TIMER);
        assertFalse(TestHost.guestView(a).isPending(port));
        assertEquals(0, a.kicks(1));
    }

    // ---- send

    @Test
    void sendOnAnInterdomainPortRaisesTheRemoteEnd() {
        int[] ch = connect();
        assertEquals(0, hc.send(a, ch[0]));
        assertTrue(host.evtchn.isPending(b, ch[1]));
        assertEquals(2, b.kicks(0), "once at bind (the conservative edge), once now");
        assertFalse(host.evtchn.isPending(a, ch[0]));
    }

    @Test
    void sendOnAnUnboundPortIsSilentlyDropped() {
        int port = hc.allocUnbound(a, DomId.SELF, 2);
        assertEquals(0, hc.send(a, port));
        assertFalse(TestHost.guestView(a).isPending(port));
        assertEquals(0, a.pollerChecks.sum() + b.pollerChecks.sum());
    }

    @Test
    void sendOnVirqFreeReservedOrInvalidPortsIsEinval() {
        assertEquals(-EINVAL, hc.send(a, hc.bindVirq(a, Virq.TIMER, 0)));
        assertEquals(-EINVAL, hc.send(a, 0));
        assertEquals(-EINVAL, hc.send(a, 50));
        assertEquals(-EINVAL, hc.send(a, 64), "beyond the first bucket: not valid yet");
        assertEquals(-EINVAL, hc.send(a, Integer.MIN_VALUE));
    }

    // ---- status

    @Test
    void statusOfPortZeroAndOfFreePortsIsClosed() {
        EvtchnStatus s = hc.status(a, DomId.SELF, 0);
        assertEquals(EvtchnOp.STAT_CLOSED, s.status());
        assertEquals(0, s.vcpu());
        assertEquals(EvtchnOp.STAT_CLOSED, hc.status(a, DomId.SELF, 63).status());
    }

    @Test
    void statusOfAnInvalidPortIsEinval() {
        assertEquals(-EINVAL, hc.statusRc(a, DomId.SELF, 64));
        assertEquals(-EINVAL, hc.statusRc(a, DomId.SELF, -1));
    }

    @Test
    void statusOfAnotherDomainNeedsPrivilegeAfterTheLookupAndPortChecks() {
        int port = hc.allocUnbound(b, DomId.SELF, 0);
        assertEquals(-EPERM, hc.statusRc(a, 2, port));
        assertEquals(-EINVAL, hc.statusRc(a, 2, 500), "port validity is checked before permission");
        assertEquals(-ESRCH, hc.statusRc(a, 42, 1));
        assertEquals(EvtchnOp.STAT_UNBOUND, hc.status(dom0, 2, port).status());
        assertEquals(EvtchnOp.STAT_UNBOUND, hc.status(b, 2, port).status(), "its own id is fine");
    }

    @Test
    void statusWritesOnlyTheUnionMemberOfTheState() {
        int ipi = hc.bindIpi(a, 2);
        byte[] request = new EvtchnStatus(DomId.SELF, ipi, 0, 0, 0xAAAAAAAA, 0xBBBBBBBB).encode();
        assertEquals(0, hc.op(a, EvtchnOp.STATUS, request));
        EvtchnStatus s = hc.lastStatus();
        assertEquals(EvtchnOp.STAT_IPI, s.status());
        assertEquals(2, s.vcpu());
        assertEquals(0xAAAAAAAA, s.u0(), "an IPI status leaves the union as the guest wrote it");
        assertEquals(0xBBBBBBBB, s.u1());

        int unbound = hc.allocUnbound(a, DomId.SELF, 7);
        request = new EvtchnStatus(DomId.SELF, unbound, 0, 0, 0xAAAAAAAA, 0xBBBBBBBB).encode();
        assertEquals(0, hc.op(a, EvtchnOp.STATUS, request));
        assertEquals(0xAAAA0007, hc.lastStatus().u0(), "u.unbound.dom is 16 bits");
    }

    // ---- unmask

    @Test
    void unmaskOfAMaskedPendingPortDeliversTheLostEdge() {
        int[] ch = connect();
        TwoLevelEventScan guestA = TestHost.guestView(a);
        guestA.setMask(ch[0]);
        assertEquals(0, hc.send(b, ch[1]));
        assertTrue(guestA.isPending(ch[0]));
        assertEquals(0, a.kicks(0), "masked: no upcall");
        assertEquals(0, hc.unmask(a, ch[0]));
        assertFalse(guestA.isMasked(ch[0]));
        assertTrue(guestA.isUpcallPending(0));
        assertEquals(1, a.kicks(0));
    }

    @Test
    void unmaskOfAFreePortLeavesItsMaskBit() {
        TwoLevelEventScan guestA = TestHost.guestView(a);
        guestA.setMask(20);
        assertEquals(0, hc.unmask(a, 20));
        assertTrue(guestA.isMasked(20), "Xen only acts on ports that are in use");
        assertEquals(-EINVAL, hc.unmask(a, 100));
    }
}
