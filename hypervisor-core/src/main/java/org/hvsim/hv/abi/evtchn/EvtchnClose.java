package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_close} ({@code EVTCHNOP_close}, 4 bytes). Closes the port; an interdomain peer reverts to unbound for the caller's domain.
 *
 * <pre>
 * 0  u32 port   IN
 * </pre>
 */
public record EvtchnClose(int port) {
    public static final int PORT = 0;
    public static final int SIZE = 4;

    public static EvtchnClose read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnClose decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnClose(b.getInt(PORT));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putInt(PORT, port).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
