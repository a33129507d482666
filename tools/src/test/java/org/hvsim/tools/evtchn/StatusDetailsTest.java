package org.hvsim.tools.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelCounters;
import org.hvsim.proto.control.EventChannelState;
import org.junit.jupiter.api.Test;

class StatusDetailsTest {
    @Test
    void everyFactInItsPlace() {
        EventChannel port = EventChannel.newBuilder().setDomid(1).setPort(1)
                .setState(EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN).setRemotePort(12)
                .setPending(true).setMasked(false).setXenAttached(false).setLabel("xenstore")
                .setCounters(EventChannelCounters.newBuilder().setSends(12).setPendingEdges(10).setUpcalls(9)
                        .setMaskedDrops(1).setCoalesced(2))
                .build();

        assertEquals("pending=1 masked=0 xen-attached=0 sends=12 edges=10 upcalls=9 masked-drops=1 coalesced=2 "
                + "label=\"xenstore\"", StatusDetails.text(port));
    }

    @Test
    void bitsCountersAndAnEmptyLabel() {
        EventChannel port = EventChannel.newBuilder().setState(EventChannelState.EVENT_CHANNEL_STATE_VIRQ)
                .setMasked(true).setXenAttached(true)
                .setCounters(EventChannelCounters.newBuilder().setSends(-1L).setCoalesced(5_000_000_000L))
                .build();

        assertEquals("pending=0 masked=1 xen-attached=1 sends=18446744073709551615 edges=0 upcalls=0 masked-drops=0 "
                + "coalesced=5000000000 label=\"\"", StatusDetails.text(port));
    }

    @Test
    void aLabelCannotForgeALineOrDriveTheTerminal() {
        EventChannel port = EventChannel.newBuilder().setLabel("vbd \"x\"\n   9: VCPU 0: IPI\u001b[2J\\").build();

        assertEquals("label=\"vbd \\\"x\\\"\\n   9: VCPU 0: IPI\\x1b[2J\\\\\"",
                StatusDetails.text(port).substring(StatusDetails.text(port).indexOf("label=")));
    }
}
