package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.XenMem;
import org.hvsim.hv.abi.memory.XenAddToPhysmap;
import org.hvsim.hv.memory.TestMachine.TestDomain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** XENMEM_add_to_physmap with XENMAPSPACE_shared_info: how a guest (or its builder) reaches shared_info. */
class AddToPhysmapTest {
    private static final long ARG = 0x100;

    private final TestMachine m = new TestMachine(1024, 4);
    private final TestDomain dom0 = m.domain(0, true, 256, 1024);
    private final TestDomain domU = m.domain(1, false, 16, 1024);
    private final MemoryOps ops = new MemoryOps(m.host, m);
    private final GuestMemory bounce = SegmentGuestMemory.allocate(Page.SIZE);
    private final GuestMemory domUView;

    AddToPhysmapTest() {
        domU.sharedInfoFrame = domU.memory().allocateSharedPage();
        assertTrue(domU.sharedInfoFrame >= 0);
        for (long gpfn = 0; gpfn < 4; gpfn++) {
            assertTrue(domU.memory().populatePhysmap(gpfn, 0) >= 0);
        }
        domUView = new DomainGuestMemory(domU.memory(), PreemptionHook.NONE);
    }

    @AfterEach
    void close() {
        assertEquals(List.of(), m.checker.check());
        m.close();
    }

    private long map(TestDomain caller, GuestMemory mem, int domid, int space, long idx, long gpfn) {
        new XenAddToPhysmap(domid, 0, space, idx, gpfn).writeTo(mem, ARG);
        return ops.op(caller, XenMem.ADD_TO_PHYSMAP, mem, ARG);
    }

    @Test
    void builderMapsSharedInfoAtAFreeGpfnAndTheGuestSeesIt() {
        assertEquals(0, map(dom0, bounce, 1, XenAddToPhysmap.SPACE_SHARED_INFO, 0, 10));
        assertEquals(domU.sharedInfoFrame, domU.memory().lookup(10));
        m.machine.frame(domU.sharedInfoFrame).set(java.lang.foreign.ValueLayout.JAVA_LONG, 2048, 0x5aL);
        assertEquals(0x5aL, domUView.getLong(Page.addressOf(10) + 2048), "guest reads the page Xen writes");
        assertEquals(4, domU.memory().totPages(), "a xen-heap page is not counted in tot_pages");
    }

    @Test
    void mappingOverRamReleasesTheRamPageAndRemappingMovesThePage() {
        long freeBefore = m.host.allocator().freeFrames();
        assertEquals(0, map(domU, domUView, DomId.SELF, XenAddToPhysmap.SPACE_SHARED_INFO, 0, 3));
        assertEquals(3, domU.memory().totPages(), "the RAM page at gpfn 3 was released");
        assertEquals(freeBefore + 1, m.host.allocator().freeFrames());
        assertEquals(0, map(domU, domUView, DomId.SELF, XenAddToPhysmap.SPACE_SHARED_INFO, 0, 20));
        assertEquals(Page.INVALID_FRAME, domU.memory().lookup(3), "moved away from its old gpfn");
        assertEquals(domU.sharedInfoFrame, domU.memory().lookup(20));
    }

    @Test
    void errors() {
        assertEquals(-Errno.EPERM, map(domU, domUView, 0, XenAddToPhysmap.SPACE_SHARED_INFO, 0, 10),
                "a domU cannot map into another domain");
        assertEquals(-Errno.ESRCH, map(dom0, bounce, 9, XenAddToPhysmap.SPACE_SHARED_INFO, 0, 10));
        assertEquals(-Errno.EINVAL, map(domU, domUView, DomId.SELF, XenAddToPhysmap.SPACE_SHARED_INFO, 1, 10));
        assertEquals(-Errno.EINVAL, map(domU, domUView, DomId.SELF, XenAddToPhysmap.SPACE_SHARED_INFO, 0, 1L << 40));
        assertEquals(-Errno.EOPNOTSUPP, map(domU, domUView, DomId.SELF, XenAddToPhysmap.SPACE_GMFN, 0, 10));
        assertEquals(-Errno.EINVAL, map(domU, domUView, DomId.SELF, 99, 0, 10));
        assertEquals(-Errno.EFAULT, ops.op(domU, XenMem.ADD_TO_PHYSMAP, domUView, Page.addressOf(100)));
    }

    @Test
    void destroyingTheDomainFreesTheMappedSharedPage() {
        assertEquals(0, map(dom0, bounce, 1, XenAddToPhysmap.SPACE_SHARED_INFO, 0, 10));
        domU.dying = true;
        domU.memory().releaseAll();
        assertTrue(domU.memory().isFullyReleased());
    }
}
