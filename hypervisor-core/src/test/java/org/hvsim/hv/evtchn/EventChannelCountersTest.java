package org.hvsim.hv.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;
import org.junit.jupiter.api.Test;

/**
 * Per-port counters: what each send, raise and unmask adds to the sender's and the receiver's
 * counts, through the hypercalls a guest makes, and that a port closed and bound again starts at 0.
 */
class EventChannelCountersTest {
    private final TestHost host = new TestHost();
    private final EventChannelManager evtchn = host.evtchn;
    private final Hypercalls hc = new Hypercalls(host);
    private final TestDomain a = host.domU(1);
    private final TestDomain b = host.domU(2);

    private PortCounts counts(TestDomain d, int port) {
        return evtchn.status(d, port).orElseThrow().counts();
    }

    /** An interdomain channel a:aPort ↔ b:bPort, with b's end's initial edge consumed by b. */
    private int[] connect() {
        int aPort = hc.allocUnbound(a, a.domid, b.domid);
        int bPort = hc.bindInterdomain(b, a.domid, aPort);
        TestHost.guestView(b).scan(0, p -> { });
        return new int[] {aPort, bPort};
    }

    @Test
    void aSendCountsASendOnTheSenderAndADeliveredEdgeOnTheReceiver() {
        int[] ch = connect();
        PortCounts bBefore = counts(b, ch[1]);
        assertEquals(new PortCounts(0, 1, 1, 0, 0), bBefore, "bind_interdomain raised the new end once");

        assertEquals(0, hc.send(a, ch[0]));
        assertEquals(new PortCounts(1, 0, 0, 0, 0), counts(a, ch[0]), "sender: one send, no edge of its own");
        assertEquals(new PortCounts(0, 2, 2, 0, 0), counts(b, ch[1]), "receiver: an edge that reached a vCPU");
    }

    @Test
    void aSecondSendBeforeTheGuestClearsPendingIsCoalesced() {
        int[] ch = connect();
        hc.send(a, ch[0]);
        hc.send(a, ch[0]);
        assertEquals(new PortCounts(2, 0, 0, 0, 0), counts(a, ch[0]));
        assertEquals(new PortCounts(0, 2, 2, 0, 1), counts(b, ch[1]));

        TestHost.guestView(b).scan(0, p -> { });
        hc.send(a, ch[0]);
        assertEquals(new PortCounts(0, 3, 3, 0, 1), counts(b, ch[1]), "pending cleared: a new edge");
    }

    @Test
    void aMaskedReceiverCountsMaskedDropsAndItsUnmaskReleasesTheEdgeAsAnUpcall() {
        int[] ch = connect();
        TwoLevelEventScan guest = TestHost.guestView(b);
        guest.setMask(ch[1]);
        hc.send(a, ch[0]);
        hc.send(a, ch[0]);
        assertEquals(new PortCounts(0, 2, 1, 1, 1), counts(b, ch[1]), "one held edge, one coalesced into it");

        assertEquals(0, hc.unmask(b, ch[1]));
        assertEquals(new PortCounts(0, 2, 2, 1, 1), counts(b, ch[1]), "the unmask released the held edge");
        assertTrue(guest.isUpcallPending(0));

        assertEquals(0, hc.unmask(b, ch[1]));
        assertEquals(new PortCounts(0, 2, 2, 1, 1), counts(b, ch[1]), "nothing held: nothing released");
    }

    @Test
    void anUnmaskOfAMaskedPortWithNothingPendingCountsNothing() {
        int[] ch = connect();
        TestHost.guestView(b).setMask(ch[1]);
        assertEquals(0, hc.unmask(b, ch[1]));
        assertEquals(new PortCounts(0, 1, 1, 0, 0), counts(b, ch[1]));
    }

    @Test
    void anIpiSendCountsTheSendAndTheEdgeOnTheSamePort() {
        int ipi = hc.bindIpi(a, 1);
        assertEquals(0, hc.send(a, ipi));
        assertEquals(0, hc.send(a, ipi));
        assertEquals(new PortCounts(2, 1, 1, 0, 1), counts(a, ipi));
        assertEquals(1, a.kicks(1));
    }

    @Test
    void aSendOnAnUnboundPortIsCountedAndRaisesNothing() {
        int port = hc.allocUnbound(a, a.domid, b.domid);
        assertEquals(0, hc.send(a, port));
        assertEquals(new PortCounts(1, 0, 0, 0, 0), counts(a, port));
    }

    @Test
    void virqRaisesCountEdgesButNoSends() {
        int timer = hc.bindVirq(a, Virq.TIMER, 0);
        evtchn.sendVirq(a, 0, Virq.TIMER);
        evtchn.sendVirq(a, 0, Virq.TIMER);
        assertEquals(new PortCounts(0, 1, 1, 0, 1), counts(a, timer));
    }

    @Test
    void countersStartAtZeroWhenAPortIsClosedAndBoundAgain() {
        int ipi = hc.bindIpi(a, 0);
        hc.send(a, ipi);
        hc.send(a, ipi);
        assertEquals(0, hc.close(a, ipi));
        assertEquals(new PortCounts(0, 0, 0, 0, 0), counts(a, ipi), "a free port counts nothing");
        assertEquals(ipi, hc.bindIpi(a, 0), "the lowest free port is reused");
        assertEquals(new PortCounts(0, 0, 0, 0, 0), counts(a, ipi));
        hc.send(a, ipi);
        assertEquals(new PortCounts(1, 1, 1, 0, 0), counts(a, ipi), "pending was cleared on close: a new edge");
    }

    @Test
    void closingOneEndKeepsThePeersCounters() {
        int[] ch = connect();
        hc.send(a, ch[0]);
        assertEquals(0, hc.close(a, ch[0]));
        assertEquals(ChannelState.UNBOUND, evtchn.status(b, ch[1]).orElseThrow().state());
        assertEquals(new PortCounts(0, 2, 2, 0, 0), counts(b, ch[1]), "the peer was not freed");
    }

    @Test
    void aSendToAXenAttachedPortCountsAnUpcallOnIt() {
        int[] seen = new int[1];
        int xenPort = evtchn.allocXenUnbound(a, 0, b.domid, (d, vcpu, port) -> seen[0]++);
        int bPort = hc.bindInterdomain(b, a.domid, xenPort);
        assertEquals(0, hc.send(b, bPort));
        assertEquals(1, seen[0]);
        assertEquals(new PortCounts(0, 0, 1, 0, 0), counts(a, xenPort), "consumed by Xen, never pending");
        assertEquals(new PortCounts(1, 1, 1, 0, 0), counts(b, bPort), "its own edge from bind_interdomain");
    }

    @Test
    void listedSnapshotsCarryTheSameCountersAsStatus() {
        int[] ch = connect();
        hc.send(a, ch[0]);
        for (PortStatus s : evtchn.list(b)) {
            assertEquals(counts(b, s.port()), s.counts(), "port " + s.port());
        }
    }
}
