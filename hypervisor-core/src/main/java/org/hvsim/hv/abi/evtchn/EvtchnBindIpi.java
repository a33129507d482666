package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_bind_ipi} ({@code EVTCHNOP_bind_ipi}, 8 bytes).
 *
 * <pre>
 * 0  u32 vcpu   IN   the vCPU the port notifies, fixed for the port's life
 * 4  u32 port   OUT
 * </pre>
 */
public record EvtchnBindIpi(int vcpu, int port) {
    public static final int VCPU = 0;
    public static final int PORT = 4;
    public static final int SIZE = 8;

    public static EvtchnBindIpi read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnBindIpi decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnBindIpi(b.getInt(VCPU), b.getInt(PORT));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putInt(VCPU, vcpu).putInt(PORT, port).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
