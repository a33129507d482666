package org.hvsim.domu.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.junit.jupiter.api.Test;

class FrameAllocatorTest {

    @Test
    void handsOutEveryManagedFrameOnceLowestFirst() {
        FrameAllocator a = new FrameAllocator(5, 200);
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 195; i++) {
            got.add(a.allocate());
        }
        for (int i = 0; i < got.size(); i++) {
            assertEquals(5 + i, got.get(i));
        }
        assertEquals(0, a.freeFrames());
        OutOfFramesException e = assertThrows(OutOfFramesException.class, a::allocate);
        assertEquals("out of memory: all 195 free frames are allocated", e.getMessage());
    }

    @Test
    void freedFramesComeBackLowestFirst() {
        FrameAllocator a = new FrameAllocator(0, 130);
        for (int i = 0; i < 130; i++) {
            a.allocate();
        }
        a.free(129);
        a.free(64);
        a.free(3);
        assertEquals(3, a.freeFrames());
        assertTrue(a.isFree(64));
        assertEquals(3, a.allocate());
        assertEquals(64, a.allocate());
        assertEquals(129, a.allocate());
        assertFalse(a.isFree(129));
        assertThrows(OutOfFramesException.class, a::allocate);
    }

    @Test
    void freeingWhatIsNotAllocatedIsAKernelBug() {
        FrameAllocator a = new FrameAllocator(10, 20);
        long f = a.allocate();
        a.free(f);
        assertThrows(IllegalStateException.class, () -> a.free(f));
        assertThrows(IllegalArgumentException.class, () -> a.free(9));
        assertThrows(IllegalArgumentException.class, () -> a.free(20));
        assertEquals(10, a.freeFrames());
        assertFalse(a.isFree(9));
        assertFalse(a.isFree(20));
    }

    @Test
    void anEmptyOrNegativeRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FrameAllocator(4, 4));
        assertThrows(IllegalArgumentException.class, () -> new FrameAllocator(-1, 4));
    }

    @Test
    void allocateZeroedClearsTheFrameInGuestMemory() {
        SegmentGuestMemory m = SegmentGuestMemory.allocate(8L * Page.SIZE);
        m.fill(0, 8L * Page.SIZE, (byte) 0x5a);
        FrameAllocator a = new FrameAllocator(6, 8);
        long f = a.allocateZeroed(m);
        assertEquals(6, f);
        for (long addr = Page.addressOf(f); addr < Page.addressOf(f + 1); addr += 8) {
            assertEquals(0, m.getLong(addr));
        }
        assertEquals(0x5a, m.getByte(Page.addressOf(f) - 1));
        assertEquals(0x5a, m.getByte(Page.addressOf(f + 1)));
    }

    @Test
    void concurrentAllocationsNeverHandOutAFrameTwice() throws Exception {
        FrameAllocator a = new FrameAllocator(1, 4001);
        List<Set<Long>> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Set<Long> mine = new HashSet<>();
            perThread.add(mine);
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    long f = a.allocate();
                    mine.add(f);
                    if (i % 3 == 0) {
                        a.free(f);
                        mine.remove(f);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        Set<Long> all = new HashSet<>();
        int total = 0;
        for (Set<Long> s : perThread) {
            all.addAll(s);
            total += s.size();
        }
        assertEquals(total, all.size(), "no frame is held by two threads");
        assertEquals(4000 - total, a.freeFrames());
    }
}
