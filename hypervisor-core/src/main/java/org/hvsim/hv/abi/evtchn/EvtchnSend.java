package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_send} ({@code EVTCHNOP_send}, 4 bytes). Sends an event to the remote end of the channel (to itself for an IPI).
 *
 * <pre>
 * 0  u32 port   IN
 * </pre>
 */
public record EvtchnSend(int port) {
    public static final int PORT = 0;
    public static final int SIZE = 4;

    public static EvtchnSend read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnSend decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnSend(b.getInt(PORT));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putInt(PORT, port).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
