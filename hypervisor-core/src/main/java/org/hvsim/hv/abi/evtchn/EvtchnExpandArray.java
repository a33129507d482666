package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_expand_array} ({@code EVTCHNOP_expand_array}, 8 bytes), a FIFO ABI operation;
 * fails with {@code -EOPNOTSUPP} here (2-level only).
 *
 * <pre>
 * 0  u64 array_gfn   IN
 * </pre>
 */
public record EvtchnExpandArray(long arrayGfn) {
    public static final int ARRAY_GFN = 0;
    public static final int SIZE = 8;

    public static EvtchnExpandArray read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnExpandArray decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnExpandArray(b.getLong(ARRAY_GFN));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putLong(ARRAY_GFN, arrayGfn).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
