package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_init_control} ({@code EVTCHNOP_init_control}, 24 bytes), the FIFO ABI's
 * switch-over. hvsim implements only the 2-level ABI, so the operation fails with
 * {@code -EOPNOTSUPP} like Xen built without {@code CONFIG_EVTCHN_FIFO}.
 *
 * <pre>
 *  0  u64 control_gfn   IN
 *  8  u32 offset        IN
 * 12  u32 vcpu          IN
 * 16  u8  link_bits     OUT
 * 17  u8  _pad[7]
 * </pre>
 */
public record EvtchnInitControl(long controlGfn, int offset, int vcpu, int linkBits) {
    public static final int CONTROL_GFN = 0;
    public static final int OFFSET = 8;
    public static final int VCPU = 12;
    public static final int LINK_BITS = 16;
    public static final int SIZE = 24;

    public static EvtchnInitControl read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnInitControl decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnInitControl(b.getLong(CONTROL_GFN), b.getInt(OFFSET), b.getInt(VCPU),
                Byte.toUnsignedInt(b.get(LINK_BITS)));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putLong(CONTROL_GFN, controlGfn).putInt(OFFSET, offset)
                .putInt(VCPU, vcpu).put(LINK_BITS, (byte) linkBits).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
