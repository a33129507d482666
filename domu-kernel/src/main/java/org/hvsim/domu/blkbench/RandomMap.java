package org.hvsim.domu.blkbench;

import java.util.SplittableRandom;

/**
 * The order a random job visits blocks in (fio's random map): every block of the region once per pass, in
 * an order that looks random, with no memory per block. A full-period linear congruential sequence modulo
 * the next power of two (multiplier ≡ 1 mod 4, odd increment: Hull–Dobell) skips the values past the
 * region; each pass starts a new sequence.
 *
 * <p>Threads: one.
 */
final class RandomMap {
    private final long blocks;
    private final long mask;
    private final SplittableRandom random;
    private long multiplier;
    private long increment;
    private long x;
    private long leftInPass;

    RandomMap(long blocks, SplittableRandom random) {
        if (blocks <= 0) {
            throw new IllegalArgumentException("no blocks");
        }
        this.blocks = blocks;
        long m = Long.highestOneBit(blocks);
        this.mask = (m == blocks ? m : m << 1) - 1;
        this.random = random;
        newPass();
    }

    private void newPass() {
        multiplier = (random.nextLong() << 2) | 1;
        increment = random.nextLong() | 1;
        x = random.nextLong() & mask;
        leftInPass = blocks;
    }

    /** The next block; after every block of a pass has come once, a new pass begins. */
    long next() {
        if (leftInPass == 0) {
            newPass();
        }
        do {
            x = (multiplier * x + increment) & mask;
        } while (x >= blocks);
        leftInPass--;
        return x;
    }
}
