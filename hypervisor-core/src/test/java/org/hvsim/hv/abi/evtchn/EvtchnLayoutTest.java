package org.hvsim.hv.abi.evtchn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.junit.jupiter.api.Test;

/** Offsets and sizes of the {@code public/event_channel.h} structures, x86-64, and their byte images. */
class EvtchnLayoutTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void sizesMatchXensHeaders() {
        assertEquals(8, EvtchnAllocUnbound.SIZE);
        assertEquals(12, EvtchnBindInterdomain.SIZE);
        assertEquals(12, EvtchnBindVirq.SIZE);
        assertEquals(12, EvtchnBindPirq.SIZE);
        assertEquals(8, EvtchnBindIpi.SIZE);
        assertEquals(4, EvtchnClose.SIZE);
        assertEquals(4, EvtchnSend.SIZE);
        assertEquals(24, EvtchnStatus.SIZE);
        assertEquals(8, EvtchnBindVcpu.SIZE);
        assertEquals(4, EvtchnUnmask.SIZE);
        assertEquals(2, EvtchnReset.SIZE);
        assertEquals(24, EvtchnInitControl.SIZE);
        assertEquals(8, EvtchnExpandArray.SIZE);
        assertEquals(8, EvtchnSetPriority.SIZE);
        assertEquals(28, EvtchnOpCompat.SIZE, "u32 cmd + 24-byte union (largest member evtchn_status)");
    }

    @Test
    void offsetsFollowCAlignment() {
        assertEquals(2, EvtchnAllocUnbound.REMOTE_DOM);
        assertEquals(4, EvtchnAllocUnbound.PORT);
        assertEquals(4, EvtchnBindInterdomain.REMOTE_PORT, "u16 remote_dom then 2 bytes of padding");
        assertEquals(8, EvtchnBindInterdomain.LOCAL_PORT);
        assertEquals(8, EvtchnBindVirq.PORT);
        assertEquals(4, EvtchnBindIpi.PORT);
        assertEquals(4, EvtchnStatus.PORT);
        assertEquals(8, EvtchnStatus.STATUS);
        assertEquals(12, EvtchnStatus.VCPU);
        assertEquals(16, EvtchnStatus.U_UNBOUND_DOM);
        assertEquals(16, EvtchnStatus.U_INTERDOMAIN_DOM);
        assertEquals(20, EvtchnStatus.U_INTERDOMAIN_PORT, "u16 dom, padding, u32 port");
        assertEquals(16, EvtchnStatus.U_VIRQ);
        assertEquals(4, EvtchnBindVcpu.VCPU);
        assertEquals(8, EvtchnInitControl.OFFSET);
        assertEquals(12, EvtchnInitControl.VCPU);
        assertEquals(16, EvtchnInitControl.LINK_BITS);
        assertEquals(4, EvtchnSetPriority.PRIORITY);
        assertEquals(4, EvtchnOpCompat.U);
    }

    @Test
    void encodesLittleEndianWithZeroPadding() {
        assertArrayEquals(hex("f07f 0100 2a000000"), new EvtchnAllocUnbound(0x7FF0, 1, 42).encode());
        assertArrayEquals(hex("0300 0000 05000000 07000000"), new EvtchnBindInterdomain(3, 5, 7).encode());
        assertArrayEquals(hex("00000000 02000000 09000000"), new EvtchnBindVirq(0, 2, 9).encode());
        assertArrayEquals(hex("0100 0000 0a000000 02000000 00000000 0100 0000 0b000000"),
                new EvtchnStatus(1, 10, 2, 0, 1, 11).encode());
        assertArrayEquals(hex("f07f"), new EvtchnReset(0x7FF0).encode());
        assertArrayEquals(hex("0100000000000000 00010000 03000000 11 00000000000000"),
                new EvtchnInitControl(1, 256, 3, 17).encode());
    }

    @Test
    void decodesDomidsAsUnsigned16AndPortsAsRaw32() {
        EvtchnAllocUnbound a = EvtchnAllocUnbound.decode(hex("ffff fe7f ffffffff"));
        assertEquals(0xFFFF, a.dom());
        assertEquals(0x7FFE, a.remoteDom());
        assertEquals(-1, a.port(), "evtchn_port_t 0xffffffff, held in an int");
        EvtchnStatus s = EvtchnStatus.decode(hex("0500 aaaa 03000000 02000000 01000000 0900 bbbb 0c000000"));
        assertEquals(5, s.dom());
        assertEquals(3, s.port());
        assertEquals(9, s.interdomainDom(), "only the low 16 bits of the union's first word");
        assertEquals(12, s.interdomainPort());
    }

    @Test
    void compatStructWrapsTheOperation() {
        byte[] whole = EvtchnOpCompat.encode(6, new EvtchnAllocUnbound(0x7FF0, 0, 0).encode());
        assertEquals(28, whole.length);
        assertEquals(6, EvtchnOpCompat.cmd(whole));
        assertEquals(new EvtchnAllocUnbound(0x7FF0, 0, 0),
                EvtchnAllocUnbound.decode(EvtchnOpCompat.union(whole, EvtchnAllocUnbound.SIZE)));
        assertThrows(IllegalArgumentException.class, () -> EvtchnOpCompat.encode(1, new byte[25]));
    }

    @Test
    void decodeRejectsAWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> EvtchnSend.decode(new byte[3]));
    }

    @Test
    void readFaultsWhenTheStructureIsNotAllInGuestMemory() {
        SegmentGuestMemory m = SegmentGuestMemory.allocate(16);
        assertThrows(GuestMemoryFault.class, () -> EvtchnStatus.read(m, 0));
        assertThrows(GuestMemoryFault.class, () -> EvtchnBindVirq.read(m, 8));
        assertEquals(new EvtchnBindVirq(0, 0, 0), EvtchnBindVirq.read(m, 4));
    }

    @Property
    void statusRoundTripsThroughGuestMemory(@ForAll int port, @ForAll int status, @ForAll int vcpu,
                                            @ForAll int u0, @ForAll int u1, @ForAll short dom) {
        SegmentGuestMemory m = SegmentGuestMemory.allocate(64);
        EvtchnStatus s = new EvtchnStatus(Short.toUnsignedInt(dom), port, status, vcpu, u0, u1);
        s.write(m, 8);
        assertEquals(s, EvtchnStatus.read(m, 8));
    }

    @Property
    void bindInterdomainRoundTrips(@ForAll short remoteDom, @ForAll int remotePort, @ForAll int localPort) {
        EvtchnBindInterdomain b = new EvtchnBindInterdomain(Short.toUnsignedInt(remoteDom), remotePort, localPort);
        assertEquals(b, EvtchnBindInterdomain.decode(b.encode()));
    }

    @Property
    void initControlRoundTrips(@ForAll long gfn, @ForAll int offset, @ForAll int vcpu, @ForAll byte linkBits) {
        EvtchnInitControl c = new EvtchnInitControl(gfn, offset, vcpu, Byte.toUnsignedInt(linkBits));
        assertEquals(c, EvtchnInitControl.decode(c.encode()));
    }
}
