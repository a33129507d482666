package org.hvsim.hv.abi.gnttab;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct gnttab_query_size} ({@code GNTTABOP_query_size}, 16 bytes; count must be 1).
 *
 * <pre>
 * 0   u16 dom            IN   DOMID_SELF, or another domain (privileged callers)
 * 4   u32 nr_frames      OUT  current table frames
 * 8   u32 max_nr_frames  OUT  the domain's max_grant_frames
 * 12  i16 status         OUT  GNTST_*
 * </pre>
 */
public record GnttabQuerySize(int dom, int nrFrames, int maxNrFrames, int status) {
    public static final int DOM = 0;
    public static final int NR_FRAMES = 4;
    public static final int MAX_NR_FRAMES = 8;
    public static final int STATUS = 12;
    public static final int SIZE = 16;

    public static GnttabQuerySize read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static GnttabQuerySize decode(byte[] raw) {
        ByteBuffer b = LeBytes.wrap(raw, SIZE);
        return new GnttabQuerySize(LeBytes.u16(b, DOM), b.getInt(NR_FRAMES), b.getInt(MAX_NR_FRAMES), b.getShort(STATUS));
    }

    public byte[] encode() {
        ByteBuffer b = LeBytes.allocate(SIZE);
        b.putShort(DOM, (short) dom).putInt(NR_FRAMES, nrFrames).putInt(MAX_NR_FRAMES, maxNrFrames)
                .putShort(STATUS, (short) status);
        return b.array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }
}
