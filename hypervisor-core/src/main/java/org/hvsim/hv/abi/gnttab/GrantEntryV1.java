package org.hvsim.hv.abi.gnttab;

/**
 * {@code struct grant_entry_v1}: one 8-byte entry of a domain's shared grant table, 512 to a 4 KiB
 * frame. The owner of each field is written next to it, as in {@code grant_table.h}.
 *
 * <pre>
 * 0  u16 flags   [GST] type, GTF_readonly; [XEN] GTF_reading, GTF_writing
 * 2  u16 domid   [GST] the domain granted access
 * 4  u32 frame   [GST] the granted frame (a GFN of the granting domain)
 * </pre>
 *
 * A granting guest writes domid and frame, then a release fence, then flags. Flags and domid form
 * the 32-bit "combo" the hypervisor compares and exchanges as one value.
 *
 * @param flags GTF_* bits
 * @param domid the domain granted access
 * @param frame the granted GFN
 */
public record GrantEntryV1(int flags, int domid, long frame) {
    public static final int FLAGS = 0;
    public static final int DOMID = 2;
    public static final int FRAME = 4;
    public static final int SIZE = 8;
    /** Entries in one 4 KiB table frame. */
    public static final int PER_FRAME = 4096 / SIZE;

    /** The entry decoded from its 8 bytes read as one little-endian long. */
    public static GrantEntryV1 decode(long raw) {
        return new GrantEntryV1((int) (raw & 0xFFFF), (int) (raw >>> 16 & 0xFFFF), raw >>> 32);
    }

    /** The 32-bit flags+domid word at offset 0. */
    public static int combo(int flags, int domid) {
        return (flags & 0xFFFF) | (domid & 0xFFFF) << 16;
    }

    public static int comboFlags(int combo) {
        return combo & 0xFFFF;
    }

    public static int comboDomid(int combo) {
        return combo >>> 16;
    }

    /** The entry as one little-endian long. */
    public long encode() {
        return (flags & 0xFFFFL) | (domid & 0xFFFFL) << 16 | (frame & 0xFFFF_FFFFL) << 32;
    }

    /** The frame of the table that holds {@code ref}. */
    public static int tableFrame(int ref) {
        return Integer.divideUnsigned(ref, PER_FRAME);
    }

    /** The byte offset of {@code ref} within its table frame. */
    public static int offsetInFrame(int ref) {
        return Integer.remainderUnsigned(ref, PER_FRAME) * SIZE;
    }
}
