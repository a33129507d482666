package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_bind_interdomain} ({@code EVTCHNOP_bind_interdomain}, 12 bytes).
 *
 * <pre>
 * 0  u16 remote_dom    IN   DOMID_SELF allowed (loopback)
 * 2  u16 (padding)
 * 4  u32 remote_port   IN   must be unbound and reserved for the caller
 * 8  u32 local_port    OUT  the caller's fresh port, left pending
 * </pre>
 */
public record EvtchnBindInterdomain(int remoteDom, int remotePort, int localPort) {
    public static final int REMOTE_DOM = 0;
    public static final int REMOTE_PORT = 4;
    public static final int LOCAL_PORT = 8;
    public static final int SIZE = 12;

    public static EvtchnBindInterdomain read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnBindInterdomain decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnBindInterdomain(ArgBytes.u16(b, REMOTE_DOM), b.getInt(REMOTE_PORT), b.getInt(LOCAL_PORT));
    }

    public byte[] encode() {
        ByteBuffer b = ArgBytes.allocate(SIZE);
        b.putShort(REMOTE_DOM, (short) remoteDom).putInt(REMOTE_PORT, remotePort).putInt(LOCAL_PORT, localPort);
        return b.array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
