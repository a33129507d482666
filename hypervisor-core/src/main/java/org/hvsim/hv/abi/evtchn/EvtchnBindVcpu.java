package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_bind_vcpu} ({@code EVTCHNOP_bind_vcpu}, 8 bytes): which vCPU an unbound,
 * interdomain or non-per-vCPU VIRQ port notifies.
 *
 * <pre>
 * 0  u32 port   IN
 * 4  u32 vcpu   IN
 * </pre>
 */
public record EvtchnBindVcpu(int port, int vcpu) {
    public static final int PORT = 0;
    public static final int VCPU = 4;
    public static final int SIZE = 8;

    public static EvtchnBindVcpu read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnBindVcpu decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnBindVcpu(b.getInt(PORT), b.getInt(VCPU));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putInt(PORT, port).putInt(VCPU, vcpu).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
