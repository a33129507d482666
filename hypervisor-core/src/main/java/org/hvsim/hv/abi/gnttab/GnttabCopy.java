package org.hvsim.hv.abi.gnttab;

import java.nio.ByteBuffer;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct gnttab_copy} ({@code GNTTABOP_copy}, 40 bytes): the hypervisor copies {@code len} bytes
 * from source to dest; neither side may cross its page.
 *
 * <pre>
 * 0   gnttab_copy_ptr source   IN
 * 16  gnttab_copy_ptr dest     IN
 * 32  u16 len                  IN
 * 34  u16 flags                IN   GNTCOPY_source_gref, GNTCOPY_dest_gref
 * 36  i16 status               OUT  GNTST_*
 *
 * gnttab_copy_ptr (16 bytes):
 * 0   u64 u       ref (u32) with the side's GNTCOPY_*_gref flag, else gmfn (xen_pfn_t) of DOMID_SELF
 * 8   u16 domid
 * 10  u16 offset  within the page
 * </pre>
 */
public record GnttabCopy(Ptr source, Ptr dest, int len, int flags, int status) {
    public static final int SOURCE = 0;
    public static final int DEST = 16;
    public static final int LEN = 32;
    public static final int FLAGS = 34;
    public static final int STATUS = 36;
    public static final int SIZE = 40;

    /**
     * {@code struct gnttab_copy_ptr}.
     *
     * @param u a grant ref (low 32 bits) or a gmfn
     */
    public record Ptr(long u, int domid, int offset) {
        public static final int U = 0;
        public static final int DOMID = 8;
        public static final int OFFSET = 10;
        public static final int SIZE = 16;

        /** The grant ref in {@code u} (a {@code grant_ref_t} is the union's low 32 bits). */
        public int ref() {
            return (int) u;
        }

        static Ptr decode(ByteBuffer b, int at) {
            return new Ptr(b.getLong(at + U), LeBytes.u16(b, at + DOMID), LeBytes.u16(b, at + OFFSET));
        }

        void encode(ByteBuffer b, int at) {
            b.putLong(at + U, u).putShort(at + DOMID, (short) domid).putShort(at + OFFSET, (short) offset);
        }
    }

    public static GnttabCopy read(GuestMemory memory, long address) {
        return decode(memory.readBytes(address, SIZE));
    }

    public static GnttabCopy decode(byte[] raw) {
        ByteBuffer b = LeBytes.wrap(raw, SIZE);
        return new GnttabCopy(Ptr.decode(b, SOURCE), Ptr.decode(b, DEST), LeBytes.u16(b, LEN), LeBytes.u16(b, FLAGS),
                b.getShort(STATUS));
    }

    public byte[] encode() {
        ByteBuffer b = LeBytes.allocate(SIZE);
        source.encode(b, SOURCE);
        dest.encode(b, DEST);
        b.putShort(LEN, (short) len).putShort(FLAGS, (short) flags).putShort(STATUS, (short) status);
        return b.array();
    }

    public void write(GuestMemory memory, long address) {
        memory.write(address, encode());
    }

    public static void writeStatus(GuestMemory memory, long address, int status) {
        memory.putShort(address + STATUS, (short) status);
    }
}
