package org.hvsim.hv.abi.evtchn;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_status} ({@code EVTCHNOP_status}, 24 bytes). The union at offset 16 is held
 * as its two 32-bit words; the accessors name its members.
 *
 * <pre>
 *  0  u16 dom      IN   DOMID_SELF, or another domain (privileged caller)
 *  2  u16 (padding)
 *  4  u32 port     IN
 *  8  u32 status   OUT  EVTCHNSTAT_* (closed 0, unbound 1, interdomain 2, pirq 3, virq 4, ipi 5)
 * 12  u32 vcpu     OUT  the vCPU the port notifies
 * 16  union u      OUT
 *       unbound:     16 u16 dom                 the domain allowed to bind
 *       interdomain: 16 u16 dom, 20 u32 port    the remote end
 *       pirq:        16 u32
 *       virq:        16 u32
 * </pre>
 *
 * @param u0 the union's word at offset 16
 * @param u1 the union's word at offset 20
 */
public record EvtchnStatus(int dom, int port, int status, int vcpu, int u0, int u1) {
    public static final int DOM = 0;
    public static final int PORT = 4;
    public static final int STATUS = 8;
    public static final int VCPU = 12;
    public static final int U = 16;
    public static final int U_UNBOUND_DOM = 16;
    public static final int U_INTERDOMAIN_DOM = 16;
    public static final int U_INTERDOMAIN_PORT = 20;
    public static final int U_PIRQ = 16;
    public static final int U_VIRQ = 16;
    public static final int SIZE = 24;

    /** The IN half: ask for the status of {@code <dom, port>}. */
    public static EvtchnStatus request(int dom, int port) {
        return new EvtchnStatus(dom, port, 0, 0, 0, 0);
    }

    public static EvtchnStatus read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static EvtchnStatus decode(byte[] raw) {
        ByteBuffer b = ArgBytes.wrap(raw, SIZE);
        return new EvtchnStatus(ArgBytes.u16(b, DOM), b.getInt(PORT), b.getInt(STATUS), b.getInt(VCPU),
                b.getInt(U), b.getInt(U_INTERDOMAIN_PORT));
    }

    public byte[] encode() {
        return ArgBytes.allocate(SIZE).putShort(DOM, (short) dom).putInt(PORT, port).putInt(STATUS, status)
                .putInt(VCPU, vcpu).putInt(U, u0).putInt(U_INTERDOMAIN_PORT, u1).array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }

    /** {@code u.unbound.dom}: meaningful when status is unbound. */
    public int unboundDom() {
        return u0 & 0xFFFF;
    }

    /** {@code u.interdomain.dom}: meaningful when status is interdomain. */
    public int interdomainDom() {
        return u0 & 0xFFFF;
    }

    /** {@code u.interdomain.port}: meaningful when status is interdomain. */
    public int interdomainPort() {
        return u1;
    }

    /** {@code u.pirq}: meaningful when status is pirq. */
    public int pirq() {
        return u0;
    }

    /** {@code u.virq}: meaningful when status is virq. */
    public int virq() {
        return u0;
    }
}
