package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_unmask} ({@code EVTCHNOP_unmask}, 4 bytes). Clears the port's mask bit and delivers the notification if it is pending.
 *
 * <pre>
 * 0  u32 port   IN
 * </pre>
 */
public record EvtchnUnmask(int port) {
    public static final int PORT = 0;
    public static final int SIZE = 4;

    public static EvtchnUnmask read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnUnmask decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnUnmask(b.getInt(PORT));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putInt(PORT, port).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
