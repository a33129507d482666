package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_reset} ({@code EVTCHNOP_reset}, 2 bytes): close every channel of a domain.
 *
 * <pre>
 * 0  u16 dom   IN   DOMID_SELF, or another domain (privileged caller, domain paused)
 * </pre>
 */
public record EvtchnReset(int dom) {
    public static final int DOM = 0;
    public static final int SIZE = 2;

    public static EvtchnReset read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnReset decode(byte[] raw) {
        return new EvtchnReset(ArgBytes.u16(ArgBytes.wrap(raw, SIZE), DOM));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putShort(DOM, (short) dom).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
