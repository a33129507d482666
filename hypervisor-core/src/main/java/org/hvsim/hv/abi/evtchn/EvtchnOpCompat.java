package org.hvsim.hv.abi.evtchn;

import java.util.Arrays;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct evtchn_op}, the argument of the legacy {@code event_channel_op_compat} hypercall
 * (number 16): the command followed by a union of the operation structures that existed before
 * Xen 3.2 (alloc_unbound .. unmask; the largest is {@link EvtchnStatus}, so the union is 24 bytes).
 *
 * <pre>
 *  0  u32   cmd   EVTCHNOP_* (0..9; anything else is -ENOSYS)
 *  4  union u     the operation's structure, at offset 4
 * </pre>
 */
public final class EvtchnOpCompat {
    public static final int CMD = 0;
    public static final int U = 4;
    public static final int U_SIZE = EvtchnStatus.SIZE;
    public static final int SIZE = U + U_SIZE;

    private EvtchnOpCompat() {}

    /** The command of a copied {@code struct evtchn_op}. */
    public static int cmd(byte[] raw) {
        return ArgBytes.wrap(raw, SIZE).getInt(CMD);
    }

    /** The first {@code size} bytes of the union of a copied {@code struct evtchn_op}. */
    public static byte[] union(byte[] raw, int size) {
        if (size > U_SIZE) {
            throw new IllegalArgumentException(size + " bytes do not fit the " + U_SIZE + "-byte union");
        }
        ArgBytes.wrap(raw, SIZE);
        return Arrays.copyOfRange(raw, U, U + size);
    }

    /** Encodes {@code cmd} and an operation structure (as from its {@code encode()}) into a whole struct. */
    public static byte[] encode(int cmd, byte[] op) {
        if (op.length > U_SIZE) {
            throw new IllegalArgumentException(op.length + " bytes do not fit the " + U_SIZE + "-byte union");
        }
        return ArgBytes.allocate(SIZE).putInt(CMD, cmd).put(U, op).array();
    }

    /** Writes {@code struct evtchn_op} with {@code cmd} and the operation structure {@code op}. */
    public static void write(GuestMemory memory, long address, int cmd, byte[] op) {
        memory.write(address, encode(cmd, op));
    }
}
