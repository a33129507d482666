package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FrameAllocatorTest {

    private record Block(long mfn, int order) {}

    private static List<Block> freeBlocks(FrameAllocator a) {
        List<Block> blocks = new ArrayList<>();
        a.forEachFreeBlock((mfn, order) -> blocks.add(new Block(mfn, order)));
        blocks.sort((x, y) -> Long.compare(x.mfn(), y.mfn()));
        return blocks;
    }

    @Property(tries = 300)
    void randomAllocFreeNeverOverlapsAndCoalescesBack(
            @ForAll @IntRange(min = 1, max = 5000) int frames,
            @ForAll @IntRange(min = 0, max = 40) int reserved,
            @ForAll("operations") List<Integer> ops) {
        long res = Math.min(reserved, frames);
        FrameAllocator a = new FrameAllocator(frames, res);
        List<Block> initial = freeBlocks(a);
        BitSet used = new BitSet(frames);
        used.set(0, (int) res);
        List<Block> live = new ArrayList<>();
        long allocated = 0;
        for (int op : ops) {
            if (op >= 0) {
                int order = op % 8;
                long mfn = a.allocate(order);
                if (mfn < 0) {
                    assertTrue(noFreeBlockOfOrderAtLeast(a, order), "allocation failed though a block was free");
                    continue;
                }
                assertEquals(0, mfn & ((1L << order) - 1), "block not aligned");
                int from = (int) mfn;
                int to = (int) (mfn + (1L << order));
                assertTrue(to <= frames);
                assertTrue(used.get(from, to).isEmpty(), "frame handed out twice at " + mfn);
                used.set(from, to);
                live.add(new Block(mfn, order));
                allocated += 1L << order;
            } else if (!live.isEmpty()) {
                Block b = live.remove((-op - 1) % live.size());
                a.free(b.mfn(), b.order());
                used.clear((int) b.mfn(), (int) (b.mfn() + (1L << b.order())));
                allocated -= 1L << b.order();
            }
            assertEquals(frames - res - allocated, a.freeFrames());
        }
        for (Block b : live) {
            a.free(b.mfn(), b.order());
        }
        assertEquals(frames - res, a.freeFrames());
        assertEquals(initial, freeBlocks(a), "freed blocks did not coalesce back");
    }

    private static boolean noFreeBlockOfOrderAtLeast(FrameAllocator a, int order) {
        return freeBlocks(a).stream().noneMatch(b -> b.order() >= order);
    }

    @Provide
    Arbitrary<List<Integer>> operations() {
        return Arbitraries.integers().between(-1000, 1000).list().ofMaxSize(200);
    }

    @Test
    void initialBlocksAreMaximalAndSkipReservedFrames() {
        FrameAllocator a = new FrameAllocator(1000, 3);
        assertEquals(List.of(new Block(3, 0), new Block(4, 2), new Block(8, 3), new Block(16, 4), new Block(32, 5),
                new Block(64, 6), new Block(128, 7), new Block(256, 8), new Block(512, 8), new Block(768, 7),
                new Block(896, 6), new Block(960, 5), new Block(992, 3)), freeBlocks(a));
        assertEquals(997, a.freeFrames());
        assertTrue(!a.isFree(2) && a.isFree(3) && a.isFree(999));
    }

    @Test
    void exhaustsThenRecovers() {
        FrameAllocator a = new FrameAllocator(16, 0);
        assertEquals(0, a.allocate(4));
        assertEquals(-1, a.allocate(0));
        a.free(0, 4);
        assertEquals(-1, a.allocate(5));
        assertEquals(0, a.allocate(0));
        assertEquals(1, a.allocate(0));
        assertEquals(2, a.allocate(1));
        assertEquals(12, a.freeFrames());
    }

    @Test
    void largestOrderIsEighteen() {
        FrameAllocator a = new FrameAllocator(1L << 19, 0);
        assertEquals(2, freeBlocks(a).size());
        assertEquals(0, a.allocate(FrameAllocator.MAX_ORDER));
        assertEquals(1L << 18, a.allocate(FrameAllocator.MAX_ORDER));
        assertEquals(-1, a.allocate(0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.allocate(FrameAllocator.MAX_ORDER + 1));
    }

    @Test
    void rejectsDoubleFreeMisalignedAndReservedFrames() {
        FrameAllocator a = new FrameAllocator(64, 4);
        long mfn = a.allocate(2);
        a.free(mfn, 2);
        assertThrows(IllegalStateException.class, () -> a.free(mfn, 2));
        assertThrows(IllegalStateException.class, () -> a.free(mfn, 0));
        long two = a.allocate(1);
        assertThrows(IllegalArgumentException.class, () -> a.free(two + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> a.free(0, 0));
        assertThrows(IllegalArgumentException.class, () -> a.free(64, 0));
    }

    @Test
    void freeRunReturnsArbitraryRunsOfSingleFrames() {
        FrameAllocator a = new FrameAllocator(64, 0);
        for (int i = 0; i < 64; i++) {
            assertEquals(i, a.allocate(0));
        }
        a.freeRun(5, 50);
        assertEquals(50, a.freeFrames());
        a.freeRun(0, 5);
        a.freeRun(55, 9);
        assertEquals(List.of(new Block(0, 6)), freeBlocks(a));
    }
}
