package org.hvsim.tools.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelState;
import org.junit.jupiter.api.Test;

/** Each state's line, byte for byte as lsevtchn.c's printf calls make it. */
class XenStatusLineTest {
    private static EventChannel.Builder port(int port, int vcpu, EventChannelState state) {
        return EventChannel.newBuilder().setDomid(1).setPort(port).setVcpu(vcpu).setState(state);
    }

    @Test
    void interdomainConnected() {
        assertEquals("   1: VCPU 0: Interdomain (Connected) - Remote Domain 0, Port 12",
                XenStatusLine.text(port(1, 0, EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN)
                        .setRemoteDomid(0).setRemotePort(12).build()));
    }

    @Test
    void interdomainWaitingForItsRemoteDomain() {
        assertEquals("   2: VCPU 0: Interdomain (Waiting connection) - Remote Domain 7",
                XenStatusLine.text(port(2, 0, EventChannelState.EVENT_CHANNEL_STATE_UNBOUND)
                        .setRemoteDomid(7).build()));
    }

    @Test
    void virqNamesItsNumber() {
        assertEquals("   3: VCPU 1: Virtual IRQ 0",
                XenStatusLine.text(port(3, 1, EventChannelState.EVENT_CHANNEL_STATE_VIRQ).setVirq(0).build()));
        assertEquals("   4: VCPU 0: Virtual IRQ 12",
                XenStatusLine.text(port(4, 0, EventChannelState.EVENT_CHANNEL_STATE_VIRQ).setVirq(12).build()));
    }

    @Test
    void ipiPirqAndUnknown() {
        assertEquals("   5: VCPU 3: IPI",
                XenStatusLine.text(port(5, 3, EventChannelState.EVENT_CHANNEL_STATE_IPI).build()));
        assertEquals("   6: VCPU 0: Physical IRQ 0",
                XenStatusLine.text(port(6, 0, EventChannelState.EVENT_CHANNEL_STATE_PIRQ).build()));
        assertEquals("   7: VCPU 0: Unknown",
                XenStatusLine.text(port(7, 0, EventChannelState.EVENT_CHANNEL_STATE_UNSPECIFIED).build()));
        assertEquals("   8: VCPU 0: Unknown",
                XenStatusLine.text(EventChannel.newBuilder().setPort(8).setStateValue(42).build()),
                "a state this client does not know yet");
    }

    @Test
    void thePortIsRightAlignedInFourColumnsAndNeverCut() {
        EventChannel.Builder ipi = port(0, 0, EventChannelState.EVENT_CHANNEL_STATE_IPI);
        assertEquals("  10: VCPU 0: IPI", XenStatusLine.text(ipi.setPort(10).build()));
        assertEquals("1023: VCPU 0: IPI", XenStatusLine.text(ipi.setPort(1023).build()));
        assertEquals("131071: VCPU 0: IPI", XenStatusLine.text(ipi.setPort(131071).build()));
    }

    @Test
    void numbersAreUnsigned() {
        assertEquals("   1: VCPU 4294967295: Interdomain (Connected) - Remote Domain 4294967295, Port 4294967294",
                XenStatusLine.text(port(1, -1, EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN)
                        .setRemoteDomid(-1).setRemotePort(-2).build()));
    }

    @Test
    void onlyClosedPortsAreLeftOut() {
        assertFalse(XenStatusLine.shown(port(1, 0, EventChannelState.EVENT_CHANNEL_STATE_CLOSED).build()));
        for (EventChannelState state : EventChannelState.values()) {
            if (state != EventChannelState.EVENT_CHANNEL_STATE_CLOSED && state != EventChannelState.UNRECOGNIZED) {
                assertTrue(XenStatusLine.shown(port(1, 0, state).build()), state.name());
            }
        }
    }
}
