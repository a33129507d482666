package org.hvsim.hv.privcmd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.junit.jupiter.api.Test;

class Dom0HypercallTest {
    @Test
    void decodesIdVcpuOpAndArgumentsAsUnsignedBits() {
        Dom0Hypercall call = Dom0Hypercall.decode(PrivcmdWire.hypercall(-1L, 1, -2, -3L, 4L), 2);
        assertEquals(-1L, call.id());
        assertEquals(1, call.vcpu());
        assertEquals(-2, call.op(), "op 0xfffffffe reaches the handler unchanged; the dispatcher says -ENOSYS");
        assertArrayEquals(new long[] {-3L, 4L, 0, 0, 0}, call.args());
    }

    @Test
    void errorsNameWhatDom0Sent() {
        PrivcmdProtocolException tooMany = assertThrows(PrivcmdProtocolException.class,
                () -> Dom0Hypercall.decode(PrivcmdWire.hypercall(1, 0, 32, 1, 2, 3, 4, 5, 6), 1));
        assertEquals(CloseReason.TOO_MANY_ARGS, tooMany.reason());
        assertTrue(tooMany.getMessage().contains("6 arguments to hypercall event_channel_op"), tooMany.getMessage());

        PrivcmdProtocolException vcpu = assertThrows(PrivcmdProtocolException.class,
                () -> Dom0Hypercall.decode(PrivcmdWire.hypercall(1, -1, 99), 1));
        assertEquals(CloseReason.BAD_VCPU, vcpu.reason());
        assertTrue(vcpu.getMessage().contains("#99 from vCPU 4294967295; dom0 has 1"), vcpu.getMessage());

        PrivcmdProtocolException other = assertThrows(PrivcmdProtocolException.class,
                () -> Dom0Hypercall.decode(PrivcmdMessage.getDefaultInstance(), 1));
        assertEquals(CloseReason.UNEXPECTED_MESSAGE, other.reason());
    }
}
