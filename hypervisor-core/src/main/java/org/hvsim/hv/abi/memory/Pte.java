package org.hvsim.hv.abi.memory;

/**
 * Bits of an x86-64 L1 page-table entry ({@code l1_pgentry_t}), as a PV guest writes them through
 * {@code mmu_update}: bits 51:12 hold the machine frame number.
 */
public final class Pte {
    public static final long PAGE_PRESENT = 1L << 0;
    public static final long PAGE_RW = 1L << 1;
    public static final long PAGE_USER = 1L << 2;
    public static final long PAGE_PWT = 1L << 3;
    public static final long PAGE_PCD = 1L << 4;
    public static final long PAGE_ACCESSED = 1L << 5;
    public static final long PAGE_DIRTY = 1L << 6;
    public static final long PAGE_PAT = 1L << 7;
    public static final long PAGE_GLOBAL = 1L << 8;
    public static final long PAGE_NX = 1L << 63;

    /** Physical address width of the x86-64 PTE format ({@code PADDR_BITS}). */
    public static final int PADDR_BITS = 52;
    /** The frame-address bits of an entry ({@code PADDR_MASK & PAGE_MASK}). */
    public static final long ADDRESS_MASK = ((1L << PADDR_BITS) - 1) & ~0xfffL;

    /** Bytes of one entry; 512 entries fill a frame. */
    public static final int SIZE = 8;

    private Pte() {}

    /** The machine frame number an entry points at. */
    public static long mfn(long pte) {
        return (pte & ADDRESS_MASK) >>> 12;
    }

    /** An entry for {@code mfn} with {@code flags}. */
    public static long of(long mfn, long flags) {
        return ((mfn << 12) & ADDRESS_MASK) | flags;
    }

    /** Whether an entry is present ({@code _PAGE_PRESENT}). */
    public static boolean isPresent(long pte) {
        return (pte & PAGE_PRESENT) != 0;
    }
}
