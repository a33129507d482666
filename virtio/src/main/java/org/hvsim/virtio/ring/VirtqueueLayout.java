package org.hvsim.virtio.ring;

/**
 * Where the three parts of a split virtqueue of {@code size} entries lie (VIRTIO 1.2 §2.7), and the byte
 * offset of every field. All fields are little-endian.
 *
 * <pre>
 * Descriptor Table (align 16, 16·N)   Available Ring (align 2, 6+2·N)   Used Ring (align 4, 6+8·N)
 * +0  addr  le64                       +0   flags  le16                    +0   flags  le16
 * +8  len   le32                       +2   idx    le16                    +2   idx    le16
 * +12 flags le16                       +4   ring[N] le16                   +4   ring[N] {id le32, len le32}
 * +14 next  le16                       +4+2N used_event le16               +4+8N avail_event le16
 * </pre>
 *
 * The compact constructor checks the spec's rules (size a power of 2 up to 32768, the alignments, no area
 * wrapping the 64-bit address space) and throws {@link IllegalArgumentException}; values that come from a
 * driver go through {@link #validate}, which throws a {@link VirtqueueException} instead.
 */
public record VirtqueueLayout(int size, long descTable, long availRing, long usedRing) {

    public static final int MAX_SIZE = 32768;
    public static final int DESC_ALIGN = 16;
    public static final int AVAIL_ALIGN = 2;
    public static final int USED_ALIGN = 4;
    public static final int USED_ELEM_SIZE = 8;

    public VirtqueueLayout {
        String bad = check(size, descTable, availRing, usedRing);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
    }

    /** A layout from untrusted values (a driver's queue setup). */
    public static VirtqueueLayout validate(int size, long descTable, long availRing, long usedRing)
            throws VirtqueueException {
        String bad = check(size, descTable, availRing, usedRing);
        if (bad != null) {
            throw new VirtqueueException(VirtqueueError.BAD_LAYOUT, -1, bad);
        }
        return new VirtqueueLayout(size, descTable, availRing, usedRing);
    }

    /** The three parts one after another from {@code base} (16-aligned), each at its own alignment. */
    public static VirtqueueLayout contiguous(int size, long base) {
        long avail = base + descTableBytes(size);
        long used = align(avail + availRingBytes(size), USED_ALIGN);
        return new VirtqueueLayout(size, base, avail, used);
    }

    public static boolean isValidSize(int size) {
        return size >= 1 && size <= MAX_SIZE && Integer.bitCount(size) == 1;
    }

    public static long descTableBytes(int size) {
        return 16L * size;
    }

    /** With room for used_event, which is present whether or not VIRTIO_F_EVENT_IDX is negotiated. */
    public static long availRingBytes(int size) {
        return 6L + 2L * size;
    }

    /** With room for avail_event. */
    public static long usedRingBytes(int size) {
        return 6L + (long) USED_ELEM_SIZE * size;
    }

    private static String check(int size, long desc, long avail, long used) {
        if (!isValidSize(size)) {
            return "queue size " + size + " is not a power of 2 in [1, " + MAX_SIZE + "]";
        }
        if ((desc & (DESC_ALIGN - 1)) != 0) {
            return String.format("descriptor table 0x%x not %d-byte aligned", desc, DESC_ALIGN);
        }
        if ((avail & (AVAIL_ALIGN - 1)) != 0) {
            return String.format("available ring 0x%x not %d-byte aligned", avail, AVAIL_ALIGN);
        }
        if ((used & (USED_ALIGN - 1)) != 0) {
            return String.format("used ring 0x%x not %d-byte aligned", used, USED_ALIGN);
        }
        if (wraps(desc, descTableBytes(size)) || wraps(avail, availRingBytes(size)) || wraps(used, usedRingBytes(size))) {
            return "a ring area wraps around the address space";
        }
        return null;
    }

    private static boolean wraps(long base, long bytes) {
        return Long.compareUnsigned(base + bytes, base) < 0;
    }

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }

    /** The ring slot of a free-running 16-bit index. */
    public int slot(int idx) {
        return idx & (size - 1);
    }

    public long descriptor(int index) {
        return descTable + 16L * index;
    }

    public long availFlags() {
        return availRing;
    }

    public long availIdx() {
        return availRing + 2;
    }

    public long availRingEntry(int slot) {
        return availRing + 4 + 2L * slot;
    }

    public long usedEvent() {
        return availRing + 4 + 2L * size;
    }

    public long usedFlags() {
        return usedRing;
    }

    public long usedIdx() {
        return usedRing + 2;
    }

    public long usedElement(int slot) {
        return usedRing + 4 + (long) USED_ELEM_SIZE * slot;
    }

    public long availEvent() {
        return usedRing + 4 + (long) USED_ELEM_SIZE * size;
    }
}
