package org.hvsim.domu.mm;

import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;

/**
 * The kernel's page-frame allocator: a bitmap over the guest frames {@code [first, limit)} (one past the
 * bootstrap frames up to the end of RAM), lowest free frame first, with a hint so a run of allocations
 * does not rescan the full words. Freeing a frame that is not allocated is a kernel bug and throws.
 *
 * <p>Threads: any vCPU, concurrently (every method is synchronized). Event handlers may allocate: the
 * monitor is never held across a hypercall, so an upcall cannot arrive while its own vCPU holds it.
 * Zeroing is done outside the monitor, through the calling vCPU's own memory.
 */
public final class FrameAllocator {
    private final long first;
    private final long limit;
    /** Bit {@code i} set: frame {@code first + i} is allocated. */
    private final long[] used;
    private long free;
    /** No free frame lies in words below this one. */
    private int hintWord;

    /** Manages frames {@code first .. limit-1}, all free. */
    public FrameAllocator(long first, long limit) {
        if (first < 0 || limit <= first || limit - first > Integer.MAX_VALUE * 64L) {
            throw new IllegalArgumentException("bad frame range [" + first + ", " + limit + ")");
        }
        this.first = first;
        this.limit = limit;
        long n = limit - first;
        this.used = new long[(int) ((n + 63) >>> 6)];
        int tail = (int) (n & 63);
        if (tail != 0) {
            used[used.length - 1] = -1L << tail;   // bits past the limit count as allocated
        }
        this.free = n;
    }

    /** The first frame managed. */
    public long first() {
        return first;
    }

    /** One past the last frame managed. */
    public long limit() {
        return limit;
    }

    public synchronized long freeFrames() {
        return free;
    }

    /** Whether {@code frame} is managed here and free. */
    public synchronized boolean isFree(long frame) {
        return frame >= first && frame < limit && !isUsed(frame - first);
    }

    /** Allocates the lowest free frame; its contents are whatever the frame held. */
    public synchronized long allocate() {
        for (int w = hintWord; w < used.length; w++) {
            long word = used[w];
            if (word != -1L) {
                int bit = Long.numberOfTrailingZeros(~word);
                used[w] = word | (1L << bit);
                free--;
                hintWord = w;
                return first + ((long) w << 6) + bit;
            }
        }
        hintWord = used.length;
        throw new OutOfFramesException(limit - first);
    }

    /** Allocates a frame and zeroes it through {@code memory} (the calling vCPU's own memory). */
    public long allocateZeroed(GuestMemory memory) {
        long frame = allocate();
        memory.fill(Page.addressOf(frame), Page.SIZE, (byte) 0);
        return frame;
    }

    /** Returns {@code frame} to the free pool. */
    public synchronized void free(long frame) {
        if (frame < first || frame >= limit) {
            throw new IllegalArgumentException("frame " + frame + " is not managed here [" + first + ", "
                    + limit + ")");
        }
        long i = frame - first;
        if (!isUsed(i)) {
            throw new IllegalStateException("frame " + frame + " freed twice");
        }
        int w = (int) (i >>> 6);
        used[w] &= ~(1L << (i & 63));
        free++;
        hintWord = Math.min(hintWord, w);
    }

    private boolean isUsed(long i) {
        return (used[(int) (i >>> 6)] & (1L << (i & 63))) != 0;
    }
}
