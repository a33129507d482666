package org.hvsim.hv.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.hvsim.hv.abi.Page;

/**
 * One domain's physical-to-machine table: gpfn to MFN for gpfns below the domain's bound. Two levels: a
 * directory of 1024-entry chunks (4 MiB of guest memory each) that grows as higher gpfns are populated,
 * so a domain costs 4 bytes per populated gpfn plus a directory sized by its highest gpfn.
 *
 * <p>Threads: {@link #lookup} from any thread without locking (volatile reads, plain loads on x86);
 * mutations only under the {@link HostMemory} lock, with volatile writes, so a lookup that starts after
 * a change returns the new entry.
 */
public final class P2m {
    /** The largest bound a P2M accepts: every gpfn must fit the M2P's 32-bit field. */
    public static final long MAX_GPFN_LIMIT = M2p.MAX_GPFN + 1;

    private static final int CHUNK_SHIFT = 10;
    private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;
    private static final int NONE = -1;
    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle CHUNK = MethodHandles.arrayElementVarHandle(int[][].class);

    private final long gpfnLimit;
    private volatile int[][] directory = new int[1][];
    private volatile long mapped;
    private volatile long maxMappedGpfn;

    /** A P2M for gpfns in {@code [0, gpfnLimit)}. */
    public P2m(long gpfnLimit) {
        if (gpfnLimit <= 0 || gpfnLimit > MAX_GPFN_LIMIT) {
            throw new IllegalArgumentException("gpfn limit " + gpfnLimit + " outside 1.." + MAX_GPFN_LIMIT);
        }
        this.gpfnLimit = gpfnLimit;
    }

    /** gpfns must be below this bound. */
    public long gpfnLimit() {
        return gpfnLimit;
    }

    /** The MFN backing {@code gpfn}, or {@link Page#INVALID_FRAME} if unpopulated or out of range. */
    public long lookup(long gpfn) {
        int[][] dir = directory;
        long index = gpfn >>> CHUNK_SHIFT;
        if (index >= dir.length) {
            return Page.INVALID_FRAME;
        }
        int[] chunk = (int[]) CHUNK.getVolatile(dir, (int) index);
        if (chunk == null) {
            return Page.INVALID_FRAME;
        }
        return (int) ENTRY.getVolatile(chunk, (int) (gpfn & CHUNK_MASK));
    }

    /** Number of populated gpfns. Read under the host lock for an exact value. */
    public long mappedCount() {
        return mapped;
    }

    /** The highest gpfn ever populated (Xen's {@code max_mapped_pfn}; it never shrinks), 0 if none. */
    public long maxMappedGpfn() {
        return maxMappedGpfn;
    }

    void set(long gpfn, long mfn) {
        if (gpfn < 0 || gpfn >= gpfnLimit || mfn < 0 || mfn >= MachineMemory.MAX_FRAMES) {
            throw new IllegalArgumentException("P2M entry " + gpfn + " -> " + mfn);
        }
        int[] chunk = chunkFor(gpfn);
        int i = (int) (gpfn & CHUNK_MASK);
        if (chunk[i] == NONE) {
            mapped++;
        }
        ENTRY.setVolatile(chunk, i, (int) mfn);
        maxMappedGpfn = Math.max(maxMappedGpfn, gpfn);
    }

    /** Removes {@code gpfn}; returns the MFN it had, or {@link Page#INVALID_FRAME}. */
    long clear(long gpfn) {
        long mfn = lookup(gpfn);
        if (mfn != Page.INVALID_FRAME) {
            int[] chunk = directory[(int) (gpfn >>> CHUNK_SHIFT)];
            ENTRY.setVolatile(chunk, (int) (gpfn & CHUNK_MASK), NONE);
            mapped--;
        }
        return mfn;
    }

    /** Visits every populated gpfn in increasing order. */
    void forEach(Mapping visitor) {
        int[][] dir = directory;
        for (int c = 0; c < dir.length; c++) {
            int[] chunk = dir[c];
            if (chunk == null) {
                continue;
            }
            for (int i = 0; i < CHUNK_SIZE; i++) {
                int mfn = chunk[i];
                if (mfn != NONE) {
                    visitor.visit(((long) c << CHUNK_SHIFT) | i, mfn);
                }
            }
        }
    }

    private int[] chunkFor(long gpfn) {
        int index = (int) (gpfn >>> CHUNK_SHIFT);
        int[][] dir = directory;
        if (index >= dir.length) {
            int maxChunks = (int) ((gpfnLimit + CHUNK_SIZE - 1) >>> CHUNK_SHIFT);
            int length = dir.length;
            while (length <= index) {
                length = (int) Math.min((long) length * 2, maxChunks);
            }
            dir = Arrays.copyOf(dir, length);
            directory = dir;
        }
        int[] chunk = dir[index];
        if (chunk == null) {
            chunk = new int[CHUNK_SIZE];
            Arrays.fill(chunk, NONE);
            CHUNK.setVolatile(dir, index, chunk);
        }
        return chunk;
    }

    /** A populated gpfn and its MFN. */
    @FunctionalInterface
    interface Mapping {
        void visit(long gpfn, long mfn);
    }
}
