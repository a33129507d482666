package org.hvsim.hv.memory;

import java.util.Objects;

/**
 * A binary buddy allocator over machine frames {@code [0, frames)}, orders 0 to {@link #MAX_ORDER}
 * (Xen's {@code MAX_ORDER} on x86: 1 GiB blocks). A block of order k starts at a multiple of 2^k; a freed
 * block merges with its free buddy, up to MAX_ORDER. The free blocks of each order live in a
 * {@link SummaryBitmap}, so allocate and free cost O(MAX_ORDER · log64 frames) with no per-block objects.
 * Frames below {@code reserved} are never handed out (the hypervisor's own).
 *
 * <p>Threads: any; every method holds this object's monitor.
 */
public final class FrameAllocator {
    public static final int MAX_ORDER = 18;

    private final long frames;
    private final long reserved;
    private final SummaryBitmap[] free = new SummaryBitmap[MAX_ORDER + 1];
    private long freeFrames;

    /** An allocator whose free frames are {@code [reserved, frames)}. */
    public FrameAllocator(long frames, long reserved) {
        if (frames <= 0 || frames > MachineMemory.MAX_FRAMES || reserved < 0 || reserved > frames) {
            throw new IllegalArgumentException("frames " + frames + ", reserved " + reserved);
        }
        this.frames = frames;
        this.reserved = reserved;
        for (int k = 0; k <= MAX_ORDER; k++) {
            free[k] = new SummaryBitmap((frames + (1L << k) - 1) >>> k);
        }
        long mfn = reserved;
        while (mfn < frames) {
            int order = Math.min(MAX_ORDER, Long.numberOfTrailingZeros(mfn == 0 ? 1L << MAX_ORDER : mfn));
            while (mfn + (1L << order) > frames) {
                order--;
            }
            free[order].set(mfn >>> order);
            mfn += 1L << order;
        }
        freeFrames = frames - reserved;
    }

    public long frames() {
        return frames;
    }

    /** Frames below this MFN are never allocated. */
    public long reserved() {
        return reserved;
    }

    public synchronized long freeFrames() {
        return freeFrames;
    }

    /** Allocates 2^order contiguous frames aligned to 2^order; returns the first MFN, or -1 if none. */
    public synchronized long allocate(int order) {
        Objects.checkIndex(order, MAX_ORDER + 1);
        int k = order;
        while (k <= MAX_ORDER && free[k].isEmpty()) {
            k++;
        }
        if (k > MAX_ORDER) {
            return -1;
        }
        long block = free[k].first();
        free[k].clear(block);
        long mfn = block << k;
        while (k > order) {
            k--;
            free[k].set((mfn >>> k) + 1);
        }
        freeFrames -= 1L << order;
        return mfn;
    }

    /**
     * Frees the block of 2^order frames at {@code mfn}, which must have been allocated (as one block or
     * as parts of larger ones). Throws if the block is misaligned, out of range, or lies in a free block.
     */
    public synchronized void free(long mfn, int order) {
        Objects.checkIndex(order, MAX_ORDER + 1);
        long size = 1L << order;
        if ((mfn & (size - 1)) != 0 || mfn < reserved || mfn > frames - size) {
            throw new IllegalArgumentException("cannot free order-" + order + " block at MFN 0x" + Long.toHexString(mfn));
        }
        for (int k = order; k <= MAX_ORDER; k++) {
            if (free[k].get(mfn >>> k)) {
                throw new IllegalStateException("double free of MFN 0x" + Long.toHexString(mfn) + " order " + order);
            }
        }
        if (order > 0 && free[0].get(mfn)) {
            throw new IllegalStateException("double free of MFN 0x" + Long.toHexString(mfn) + " order " + order);
        }
        freeFrames += size;
        long start = mfn;
        int k = order;
        while (k < MAX_ORDER) {
            long buddy = (start >>> k) ^ 1;
            if (!free[k].get(buddy)) {
                break;
            }
            free[k].clear(buddy);
            start &= ~(1L << k);
            k++;
        }
        free[k].set(start >>> k);
    }

    /** Frees an arbitrary run of allocated frames, as the largest aligned blocks that fit. */
    public synchronized void freeRun(long mfn, long count) {
        long at = mfn;
        long end = mfn + count;
        while (at < end) {
            int order = Math.min(MAX_ORDER, Long.numberOfTrailingZeros(at == 0 ? 1L << MAX_ORDER : at));
            while (at + (1L << order) > end) {
                order--;
            }
            free(at, order);
            at += 1L << order;
        }
    }

    /** Whether frame {@code mfn} lies in a free block. */
    public synchronized boolean isFree(long mfn) {
        for (int k = 0; k <= MAX_ORDER; k++) {
            if (free[k].get(mfn >>> k)) {
                return true;
            }
        }
        return false;
    }

    /** Visits every free block, as (first MFN, order). */
    public synchronized void forEachFreeBlock(BlockVisitor visitor) {
        for (int k = 0; k <= MAX_ORDER; k++) {
            int order = k;
            free[k].forEach(block -> visitor.visit(block << order, order));
        }
    }

    /** Receives free blocks from {@link #forEachFreeBlock}. */
    @FunctionalInterface
    public interface BlockVisitor {
        void visit(long mfn, int order);
    }
}
