package org.hvsim.hv.memory;

import java.util.function.LongConsumer;

/**
 * A set of indices in {@code [0, size)} kept as a bitmap with 64-ary summary levels above it, so that
 * insert, remove, membership and "lowest member" each cost O(log64 size) word operations: four levels
 * cover 16 M indices in about 2 MiB.
 *
 * <p>Threads: not thread-safe; {@link FrameAllocator} guards it.
 */
final class SummaryBitmap {
    /** levels[0] holds the bits; bit i of levels[k+1] is set when word i of levels[k] is not zero. */
    private final long[][] levels;
    private final long size;

    SummaryBitmap(long size) {
        if (size < 0 || size > (long) Integer.MAX_VALUE * 64) {
            throw new IllegalArgumentException("size " + size);
        }
        this.size = size;
        int depth = 1;
        for (long words = words(size); words > 1; words = words(words)) {
            depth++;
        }
        levels = new long[depth][];
        long bits = size;
        for (int k = 0; k < depth; k++) {
            levels[k] = new long[(int) Math.max(1, words(bits))];
            bits = words(bits);
        }
    }

    private static long words(long bits) {
        return (bits + 63) >>> 6;
    }

    long size() {
        return size;
    }

    boolean get(long i) {
        return i >= 0 && i < size && (levels[0][(int) (i >>> 6)] & (1L << i)) != 0;
    }

    void set(long i) {
        long index = i;
        for (long[] level : levels) {
            int word = (int) (index >>> 6);
            boolean wasEmpty = level[word] == 0;
            level[word] |= 1L << index;
            if (!wasEmpty) {
                return;
            }
            index = word;
        }
    }

    void clear(long i) {
        long index = i;
        for (long[] level : levels) {
            int word = (int) (index >>> 6);
            level[word] &= ~(1L << index);
            if (level[word] != 0) {
                return;
            }
            index = word;
        }
    }

    boolean isEmpty() {
        return levels[levels.length - 1][0] == 0;
    }

    /** The lowest member, or -1 when empty. */
    long first() {
        if (isEmpty()) {
            return -1;
        }
        long index = 0;
        for (int k = levels.length - 1; k >= 0; k--) {
            long word = levels[k][(int) index];
            index = (index << 6) | Long.numberOfTrailingZeros(word);
        }
        return index;
    }

    /** Calls {@code action} for every member in increasing order. */
    void forEach(LongConsumer action) {
        long[] bits = levels[0];
        for (int w = 0; w < bits.length; w++) {
            long word = bits[w];
            while (word != 0) {
                action.accept(((long) w << 6) | Long.numberOfTrailingZeros(word));
                word &= word - 1;
            }
        }
    }
}
