package org.hvsim.hv.memory;

import java.util.Objects;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Page;

/**
 * The machine-to-phys table with the rest of Xen's per-frame {@code page_info}: for every MFN its owner
 * domain, its gpfn in that owner's P2M, its {@link PageType}, whether the owner has released it while
 * foreign references remain (a zombie frame), and the number of foreign page-table references.
 * One {@code long} per frame: 128 MiB for a 64 GiB host.
 *
 * <pre>
 * bits 31:0   gpfn (0xffffffff: not in the owner's P2M)
 * bits 46:32  owner domid (15 bits: real ids and DOMID_XEN)
 * bits 48:47  PageType ordinal (0 = FREE, so a new table is all free)
 * bit  49     released: freed by its owner, waiting for its last foreign reference
 * bits 63:50  foreign references (at most {@link #MAX_REFS})
 * </pre>
 *
 * <p>Threads: mutated only under the {@link HostMemory} lock; reads outside it may see a stale entry.
 */
public final class M2p {
    /** The most foreign references one frame can hold; one more fails, as Xen's count overflow does. */
    public static final int MAX_REFS = (1 << 14) - 1;
    /** The largest gpfn the table can record. */
    public static final long MAX_GPFN = 0xFFFF_FFFEL;

    private static final long GPFN_MASK = 0xFFFF_FFFFL;
    private static final int OWNER_SHIFT = 32;
    private static final long OWNER_MASK = 0x7FFF;
    private static final int TYPE_SHIFT = 47;
    private static final long TYPE_MASK = 3;
    private static final long RELEASED = 1L << 49;
    private static final int REFS_SHIFT = 50;
    private static final long REFS_ONE = 1L << REFS_SHIFT;
    private static final PageType[] TYPES = PageType.values();

    private final long[] entries;

    public M2p(long frames) {
        if (frames <= 0 || frames > MachineMemory.MAX_FRAMES) {
            throw new IllegalArgumentException("frames " + frames);
        }
        entries = new long[(int) frames];
    }

    public long frames() {
        return entries.length;
    }

    public PageType type(long mfn) {
        return TYPES[(int) ((entry(mfn) >>> TYPE_SHIFT) & TYPE_MASK)];
    }

    /** The owner's domid, or {@link DomId#INVALID} for a free frame. */
    public int owner(long mfn) {
        long e = entry(mfn);
        return ((e >>> TYPE_SHIFT) & TYPE_MASK) == 0 ? DomId.INVALID : (int) ((e >>> OWNER_SHIFT) & OWNER_MASK);
    }

    /** The frame's gpfn in its owner's P2M, or {@link Page#INVALID_FRAME}. */
    public long gpfn(long mfn) {
        long g = entry(mfn) & GPFN_MASK;
        return g == GPFN_MASK ? Page.INVALID_FRAME : g;
    }

    /** Whether the owner has freed the frame while foreign references keep it allocated. */
    public boolean isReleased(long mfn) {
        return (entry(mfn) & RELEASED) != 0;
    }

    public int foreignRefs(long mfn) {
        return (int) (entry(mfn) >>> REFS_SHIFT);
    }

    /** Whether the frame is allocated to {@code domid}, not released: one a caller may reference or map. */
    public boolean isLiveFrameOf(long mfn, int domid) {
        long e = entry(mfn);
        return ((e >>> TYPE_SHIFT) & TYPE_MASK) != 0 && (e & RELEASED) == 0
                && ((e >>> OWNER_SHIFT) & OWNER_MASK) == domid;
    }

    private long entry(long mfn) {
        return entries[(int) Objects.checkIndex(mfn, (long) entries.length)];
    }

    void assign(long mfn, int owner, PageType type, long gpfn) {
        if (type == PageType.FREE || owner < 0 || owner > OWNER_MASK) {
            throw new IllegalArgumentException("assign MFN " + mfn + " to " + owner + " as " + type);
        }
        entries[(int) mfn] = encodeGpfn(gpfn) | ((long) owner << OWNER_SHIFT) | ((long) type.ordinal() << TYPE_SHIFT);
    }

    void setGpfn(long mfn, long gpfn) {
        entries[(int) mfn] = (entries[(int) mfn] & ~GPFN_MASK) | encodeGpfn(gpfn);
    }

    void markReleased(long mfn) {
        entries[(int) mfn] |= RELEASED;
    }

    void clear(long mfn) {
        entries[(int) mfn] = 0;
    }

    /** Adds a foreign reference; false if the count is already at {@link #MAX_REFS}. */
    boolean tryGetRef(long mfn) {
        if (foreignRefs(mfn) >= MAX_REFS) {
            return false;
        }
        entries[(int) mfn] += REFS_ONE;
        return true;
    }

    /** Drops a foreign reference; returns the count left. */
    int putRef(long mfn) {
        if (foreignRefs(mfn) == 0) {
            throw new IllegalStateException("foreign reference count of MFN 0x" + Long.toHexString(mfn) + " underflows");
        }
        entries[(int) mfn] -= REFS_ONE;
        return foreignRefs(mfn);
    }

    private static long encodeGpfn(long gpfn) {
        if (gpfn == Page.INVALID_FRAME) {
            return GPFN_MASK;
        }
        if (gpfn < 0 || gpfn > MAX_GPFN) {
            throw new IllegalArgumentException("gpfn " + gpfn);
        }
        return gpfn;
    }
}
