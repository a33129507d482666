package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_alloc_unbound} ({@code EVTCHNOP_alloc_unbound}, 8 bytes).
 *
 * <pre>
 * 0  u16 dom          IN   domain to allocate in; DOMID_SELF unless privileged
 * 2  u16 remote_dom   IN   domain allowed to bind to it; DOMID_SELF allowed (loopback)
 * 4  u32 port         OUT  the fresh port in dom
 * </pre>
 *
 * @param dom        {@code domid_t}, 0..0xFFFF
 * @param remoteDom  {@code domid_t}, 0..0xFFFF
 * @param port       {@code evtchn_port_t}, an unsigned 32-bit value held in an int
 */
public record EvtchnAllocUnbound(int dom, int remoteDom, int port) {
    public static final int DOM = 0;
    public static final int REMOTE_DOM = 2;
    public static final int PORT = 4;
    public static final int SIZE = 8;

    /** Copies the structure out of guest memory once and decodes it. */
    public static EvtchnAllocUnbound read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnAllocUnbound decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnAllocUnbound(ArgBytes.u16(b, DOM), ArgBytes.u16(b, REMOTE_DOM), b.getInt(PORT));
    }

    public byte[] encode() {
        ByteBuffer b = ArgBytes.allocate(SIZE);
        b.putShort(DOM, (short) dom).putShort(REMOTE_DOM, (short) remoteDom).putInt(PORT, port);
        return b.array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
