package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_bind_pirq} ({@code EVTCHNOP_bind_pirq}, 12 bytes). hvsim has no physical
 * IRQs, so the operation always fails with {@code -EOPNOTSUPP}, as Xen built without
 * {@code CONFIG_HAS_PIRQ} does; the layout is here so the argument is still copied and checked.
 *
 * <pre>
 * 0  u32 pirq    IN
 * 4  u32 flags   IN   BIND_PIRQ__WILL_SHARE = 1
 * 8  u32 port    OUT
 * </pre>
 */
public record EvtchnBindPirq(int pirq, int flags, int port) {
    public static final int PIRQ = 0;
    public static final int FLAGS = 4;
    public static final int PORT = 8;
    public static final int SIZE = 12;
    public static final int BIND_PIRQ_WILL_SHARE = 1;

    public static EvtchnBindPirq read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnBindPirq decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnBindPirq(b.getInt(PIRQ), b.getInt(FLAGS), b.getInt(PORT));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putInt(PIRQ, pirq).putInt(FLAGS, flags).putInt(PORT, port).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
