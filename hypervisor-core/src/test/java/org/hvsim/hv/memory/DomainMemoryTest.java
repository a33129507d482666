package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.memory.Pte;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DomainMemoryTest {
    private static final int FRAMES = 1024;
    private static final int XEN_FRAMES = 8;

    private final TestMachine m = new TestMachine(FRAMES, XEN_FRAMES);
    private final DomainMemory dom0 = m.domain(0, true, 64, 1024).memory();
    private final DomainMemory domU = m.domain(1, false, 32, 1024).memory();
    private final PteUpdater pte = new PteUpdater(m.host);

    @AfterEach
    void close() {
        m.close();
    }

    private void assertConsistent() {
        assertEquals(java.util.List.of(), m.checker.check());
    }

    /** dom0 maps {@code mfn} of {@code owner} through slot {@code slot} of its page-table frame at gpfn 0. */
    private int map(long mfn, int owner, int slot) {
        long pteFrame = dom0.lookup(0);
        return pte.update(dom0, (pteFrame << Page.SHIFT) + slot * 8L, Pte.of(mfn, Pte.PAGE_PRESENT | Pte.PAGE_RW), owner, false);
    }

    private int unmap(int slot) {
        return pte.update(dom0, (dom0.lookup(0) << Page.SHIFT) + slot * 8L, 0, 0, false);
    }

    @Test
    void populateMapsFramesAndRecordsThemInTheM2p() {
        long mfn = domU.populatePhysmap(8, 2);
        assertTrue(mfn >= XEN_FRAMES);
        for (int j = 0; j < 4; j++) {
            assertEquals(mfn + j, domU.lookup(8 + j));
            assertEquals(1, m.host.m2p().owner(mfn + j));
            assertEquals(8 + j, m.host.m2p().gpfn(mfn + j));
            assertEquals(PageType.RAM, m.host.m2p().type(mfn + j));
        }
        assertEquals(Page.INVALID_FRAME, domU.lookup(12));
        assertEquals(4, domU.totPages());
        assertEquals(11, domU.maximumGpfn());
        assertEquals(FRAMES - XEN_FRAMES - 4, m.host.allocator().freeFrames());
        assertConsistent();
    }

    @Test
    void populateRefusesTakenGpfnsBadRangesAndDeadDomains() {
        assertTrue(domU.populatePhysmap(5, 0) >= 0);
        assertEquals(-Errno.EEXIST, domU.populatePhysmap(4, 1));
        assertEquals(-Errno.EINVAL, domU.populatePhysmap(1023, 1));
        assertEquals(-Errno.EINVAL, domU.populatePhysmap(-1, 0));
        assertEquals(-Errno.EINVAL, domU.populatePhysmap(0, FrameAllocator.MAX_ORDER + 1));
        assertEquals(1, domU.totPages());
        domU.releaseAll();
        assertEquals(-Errno.EINVAL, domU.populatePhysmap(0, 0));
        assertEquals(-Errno.EINVAL, domU.increaseReservation(0));
        assertEquals(-Errno.EINVAL, domU.allocateSharedPage());
        assertConsistent();
    }

    @Test
    void maxPagesBoundsEveryAllocationExactly() {
        domU.setMaxPages(5);
        assertTrue(domU.populatePhysmap(0, 2) >= 0);
        assertEquals(-Errno.E2BIG, domU.populatePhysmap(4, 1));
        assertTrue(domU.increaseReservation(0) >= 0);
        assertEquals(-Errno.E2BIG, domU.populatePhysmap(4, 0));
        assertEquals(5, domU.totPages());
        assertTrue(domU.allocateSharedPage() >= 0, "xen-heap pages are not counted in tot_pages");
        domU.setMaxPages(2);
        assertEquals(5, domU.totPages(), "lowering max_pages frees nothing");
        assertEquals(0, domU.decreaseReservation(0, 1));
        assertEquals(-Errno.E2BIG, domU.populatePhysmap(0, 0));
        assertConsistent();
    }

    @Test
    void runningOutOfMachineMemoryIsEnomem() {
        domU.setMaxPages(FRAMES);
        long got = 0;
        long rc;
        while ((rc = domU.increaseReservation(4)) >= 0) {
            got += 16;
        }
        assertEquals(-Errno.ENOMEM, rc);
        assertEquals(got, domU.totPages());
        assertConsistent();
    }

    @Test
    void decreaseFreesAndScrubsFrames() {
        long mfn = domU.populatePhysmap(0, 1);
        m.machine.frame(mfn).fill((byte) 0x7e);
        m.machine.frame(mfn + 1).fill((byte) 0x7e);
        assertEquals(0, domU.decreaseReservation(0, 1));
        assertEquals(Page.INVALID_FRAME, domU.lookup(0));
        assertEquals(0, domU.totPages());
        assertEquals(PageType.FREE, m.host.m2p().type(mfn));
        for (long off = 0; off < 2L * Page.SIZE; off += 8) {
            assertEquals(0, m.machine.segment().get(ValueLayout.JAVA_LONG, (mfn << Page.SHIFT) + off));
        }
        assertEquals(FRAMES - XEN_FRAMES, m.host.allocator().freeFrames());
        assertConsistent();
    }

    @Test
    void decreaseStopsAtTheFirstHoleKeepingEarlierPagesRemoved() {
        domU.populatePhysmap(0, 0);
        domU.populatePhysmap(1, 0);
        domU.populatePhysmap(3, 0);
        assertEquals(-Errno.EINVAL, domU.decreaseReservation(0, 2));
        assertEquals(Page.INVALID_FRAME, domU.lookup(0));
        assertEquals(Page.INVALID_FRAME, domU.lookup(1));
        assertNotEquals(Page.INVALID_FRAME, domU.lookup(3));
        assertEquals(1, domU.totPages());
        assertConsistent();
    }

    @Test
    void increaseReservationFramesAreOwnedButUnmapped() {
        long mfn = domU.increaseReservation(1);
        assertEquals(2, domU.totPages());
        assertEquals(1, m.host.m2p().owner(mfn));
        assertEquals(Page.INVALID_FRAME, m.host.m2p().gpfn(mfn + 1));
        assertConsistent();
        domU.releaseAll();
        assertTrue(domU.isFullyReleased());
        assertConsistent();
    }

    @Test
    void sharedPageIsAXenHeapPageOfTheDomain() {
        long mfn = domU.allocateSharedPage();
        assertEquals(PageType.XEN_HEAP, m.host.m2p().type(mfn));
        assertEquals(1, m.host.m2p().owner(mfn));
        assertEquals(1, domU.xenheapPages());
        assertEquals(0, domU.totPages());
        assertEquals(0, m.machine.frame(mfn).get(ValueLayout.JAVA_LONG, 0));
        assertConsistent();
        domU.releaseAll();
        assertEquals(0, domU.xenheapPages());
        assertEquals(PageType.FREE, m.host.m2p().type(mfn));
        assertConsistent();
    }

    @Test
    void releaseWithoutForeignReferencesFreesEverythingAndTheIdCanBeReused() {
        domU.populatePhysmap(0, 3);
        domU.increaseReservation(0);
        domU.allocateSharedPage();
        long freeBefore = FRAMES - XEN_FRAMES - dom0.totPages();
        domU.releaseAll();
        assertTrue(domU.isFullyReleased());
        assertNull(m.host.domain(1));
        assertEquals(freeBefore, m.host.allocator().freeFrames());
        assertConsistent();
        DomainMemory again = m.host.createDomain(1, 16);
        assertSame(again, m.host.domain(1));
        assertConsistent();
    }

    @Test
    void foreignReferencesKeepReleasedFramesAsZombiesUntilUnmapped() {
        dom0.populatePhysmap(0, 0);
        long mfn = domU.populatePhysmap(0, 1);
        assertEquals(0, map(mfn + 1, 1, 3));
        assertEquals(1, m.host.m2p().foreignRefs(mfn + 1));
        assertConsistent();

        domU.releaseAll();
        assertFalse(domU.isFullyReleased());
        assertEquals(1, domU.totPages(), "a zombie frame stays counted, as in Xen");
        assertTrue(m.host.m2p().isReleased(mfn + 1));
        assertEquals(PageType.FREE, m.host.m2p().type(mfn));
        assertSame(domU, m.host.domain(1));
        assertThrows(IllegalStateException.class, () -> m.host.createDomain(1, 16));
        assertEquals(-Errno.EINVAL, map(mfn + 1, 1, 4), "a released frame cannot be mapped again");
        assertConsistent();

        assertEquals(0, unmap(3));
        assertTrue(domU.isFullyReleased());
        assertNull(m.host.domain(1));
        assertEquals(PageType.FREE, m.host.m2p().type(mfn + 1));
        assertConsistent();
    }

    @Test
    void ballooningOutAMappedFrameKeepsItUntilTheLastReferenceGoes() {
        dom0.populatePhysmap(0, 0);
        long mfn = domU.populatePhysmap(7, 0);
        assertEquals(0, map(mfn, 1, 0));
        assertEquals(0, map(mfn, 1, 1));
        assertEquals(2, m.host.m2p().foreignRefs(mfn));
        assertEquals(0, domU.decreaseReservation(7, 0));
        assertEquals(Page.INVALID_FRAME, domU.lookup(7));
        assertEquals(1, domU.totPages());
        assertConsistent();
        assertEquals(0, unmap(0));
        assertEquals(1, domU.totPages());
        assertEquals(0, unmap(1));
        assertEquals(0, domU.totPages());
        assertFalse(domU.isFullyReleased(), "the domain itself is alive");
        assertConsistent();
    }

    @Test
    void destroyingTheMapperDropsItsMappings() {
        dom0.populatePhysmap(0, 0);
        long mfn = domU.populatePhysmap(0, 0);
        assertEquals(0, map(mfn, 1, 9));
        domU.releaseAll();
        assertFalse(domU.isFullyReleased());
        dom0.releaseAll();
        assertTrue(dom0.isFullyReleased());
        assertTrue(domU.isFullyReleased());
        assertEquals(0, m.host.shadowMappings());
        assertEquals(FRAMES - XEN_FRAMES, m.host.allocator().freeFrames());
        assertConsistent();
    }

    @Test
    void hypervisorFramesAreNeverHandedOut() {
        for (long mfn = 0; mfn < XEN_FRAMES; mfn++) {
            assertEquals(DomId.XEN, m.host.m2p().owner(mfn));
        }
        domU.setMaxPages(FRAMES);
        while (domU.increaseReservation(0) >= 0) {
            assertTrue(m.host.m2p().owner(XEN_FRAMES - 1) == DomId.XEN);
        }
        assertConsistent();
    }
}
