package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_bind_virq} ({@code EVTCHNOP_bind_virq}, 12 bytes).
 *
 * <pre>
 * 0  u32 virq   IN   VIRQ_* number
 * 4  u32 vcpu   IN   per-vCPU VIRQs: any vCPU; others: must be 0
 * 8  u32 port   OUT
 * </pre>
 */
public record EvtchnBindVirq(int virq, int vcpu, int port) {
    public static final int VIRQ = 0;
    public static final int VCPU = 4;
    public static final int PORT = 8;
    public static final int SIZE = 12;

    public static EvtchnBindVirq read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnBindVirq decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnBindVirq(b.getInt(VIRQ), b.getInt(VCPU), b.getInt(PORT));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putInt(VIRQ, virq).putInt(VCPU, vcpu).putInt(PORT, port).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
