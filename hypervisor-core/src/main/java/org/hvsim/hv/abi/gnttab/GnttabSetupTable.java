package org.hvsim.hv.abi.gnttab;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct gnttab_setup_table} ({@code GNTTABOP_setup_table}, 24 bytes; count must be 1).
 *
 * <pre>
 * 0   u16 dom          IN   DOMID_SELF, or another domain (privileged callers)
 * 4   u32 nr_frames    IN   grow the table to at least this many frames
 * 8   i16 status       OUT  GNTST_*
 * 16  u64 frame_list   IN   guest handle: nr_frames xen_pfn_t (u64) slots, filled with the frames' GFNs
 * </pre>
 */
public record GnttabSetupTable(int dom, int nrFrames, int status, long frameList) {
    public static final int DOM = 0;
    public static final int NR_FRAMES = 4;
    public static final int STATUS = 8;
    public static final int FRAME_LIST = 16;
    public static final int SIZE = 24;

    public static GnttabSetupTable read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static GnttabSetupTable decode(byte[] raw) {
        ByteBuffer b = LeBytes.wrap(raw, SIZE);
        return new GnttabSetupTable(LeBytes.u16(b, DOM), b.getInt(NR_FRAMES), b.getShort(STATUS), b.getLong(FRAME_LIST));
    }

    public byte[] encode() {
        ByteBuffer b = LeBytes.allocate(SIZE);
        b.putShort(DOM, (short) dom).putInt(NR_FRAMES, nrFrames).putShort(STATUS, (short) status)
                .putLong(FRAME_LIST, frameList);
        return b.array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }

    public static void writeStatus(GuestMemory memory, long address, int status) {
        memory.putShort(address + STATUS, (short) status);
    }
}
