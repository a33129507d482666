package org.hvsim.domu.blkbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.BitSet;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class RandomMapPropertyTest {
    /** Each pass visits every block exactly once, and two passes differ (for more than a handful of blocks). */
    @Property(tries = 300)
    void everyPassVisitsEveryBlockOnce(@ForAll @IntRange(min = 1, max = 5000) int blocks, @ForAll @LongRange long seed) {
        RandomMap map = new RandomMap(blocks, new SplittableRandom(seed));
        long[] first = new long[blocks];
        for (int pass = 0; pass < 2; pass++) {
            BitSet seen = new BitSet(blocks);
            long[] order = new long[blocks];
            for (int i = 0; i < blocks; i++) {
                long b = map.next();
                order[i] = b;
                assertEquals(false, seen.get((int) b), "block " + b + " twice in pass " + pass);
                seen.set((int) b);
            }
            assertEquals(blocks, seen.cardinality());
            if (pass == 0) {
                first = order;
            } else if (blocks > 8) {
                assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(order), "a new order each pass");
            }
        }
    }
}
