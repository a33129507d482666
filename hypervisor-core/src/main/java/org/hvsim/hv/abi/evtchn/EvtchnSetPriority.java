package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_set_priority} ({@code EVTCHNOP_set_priority}, 8 bytes), a FIFO ABI operation.
 * Under the 2-level ABI it fails: {@code -EINVAL} for a bad port, else {@code -ENOSYS}.
 *
 * <pre>
 * 0  u32 port       IN
 * 4  u32 priority   IN   0 (highest) .. 15
 * </pre>
 */
public record EvtchnSetPriority(int port, int priority) {
    public static final int PORT = 0;
    public static final int PRIORITY = 4;
    public static final int SIZE = 8;

    public static EvtchnSetPriority read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnSetPriority decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnSetPriority(b.getInt(PORT), b.getInt(PRIORITY));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putInt(PORT, port).putInt(PRIORITY, priority).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
