package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.List;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.memory.MmuUpdate;
import org.hvsim.hv.abi.memory.Pte;
import org.hvsim.hv.memory.TestMachine.TestDomain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** mmu_update: dom0 maps other domains' frames the PV way, with references the hypervisor keeps. */
class MmuUpdateTest {
    private static final long REQS = 0x200;
    private static final long PDONE = 0x100;
    private static final long RW = Pte.PAGE_PRESENT | Pte.PAGE_RW;

    private final TestMachine m = new TestMachine(256, 4);
    private final TestDomain dom0 = m.domain(0, true, 64, 64);
    private final TestDomain domU = m.domain(1, false, 16, 64);
    private final TestDomain other = m.domain(2, false, 16, 64);
    private final MemoryOps ops = new MemoryOps(m.host, m);
    private final GuestMemory bounce = SegmentGuestMemory.allocate(Page.SIZE);
    /** dom0's page-table frame, whose slots it fills. */
    private final long l1;
    private final long domUFrame;

    MmuUpdateTest() {
        l1 = dom0.memory().populatePhysmap(0, 0);
        domUFrame = domU.memory().populatePhysmap(3, 0);
        new DomainGuestMemory(domU.memory(), PreemptionHook.NONE).putLong(3L * Page.SIZE + 16, 0xfeedL);
    }

    @AfterEach
    void close() {
        assertEquals(List.of(), m.checker.check());
        m.close();
    }

    private static long slot(long frame, int index) {
        return (frame << Page.SHIFT) + index * 8L;
    }

    private long update(TestDomain caller, int foreigndom, MmuUpdate... reqs) {
        for (int i = 0; i < reqs.length; i++) {
            reqs[i].writeTo(bounce, REQS, i);
        }
        bounce.putInt(PDONE, 0);
        return ops.mmuUpdate(caller, bounce, REQS, reqs.length, PDONE, foreigndom);
    }

    private long done() {
        return bounce.getUnsignedInt(PDONE);
    }

    @Test
    void dom0MapsAForeignFrameAndReadsItThroughMachineMemory() {
        long val = Pte.of(domUFrame, RW);
        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 5), val)));
        assertEquals(1, done());
        assertEquals(1, m.host.m2p().foreignRefs(domUFrame));
        assertEquals(val, m.machine.segment().get(ValueLayout.JAVA_LONG, slot(l1, 5)), "the PTE is in dom0's frame");
        long mapped = Pte.mfn(m.machine.segment().get(ValueLayout.JAVA_LONG, slot(l1, 5)));
        assertEquals(0xfeedL, m.machine.frame(mapped).get(ValueLayout.JAVA_LONG, 16));

        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 5), 0)));
        assertEquals(0, m.host.m2p().foreignRefs(domUFrame));
        assertEquals(0, m.host.shadowMappings());
    }

    @Test
    void remappingASlotMovesTheReferenceAndRewritingKeepsIt() {
        long second = domU.memory().populatePhysmap(4, 0);
        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 0), Pte.of(domUFrame, RW))));
        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 0), Pte.of(domUFrame, Pte.PAGE_PRESENT))));
        assertEquals(1, m.host.m2p().foreignRefs(domUFrame));
        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 0), Pte.of(second, RW))));
        assertEquals(0, m.host.m2p().foreignRefs(domUFrame));
        assertEquals(1, m.host.m2p().foreignRefs(second));
    }

    @Test
    void partialSuccessStopsAtTheFirstBadRequest() {
        long notDomUs = other.memory().populatePhysmap(0, 0);
        long rc = update(dom0, 1,
                new MmuUpdate(slot(l1, 1), Pte.of(domUFrame, RW)),
                new MmuUpdate(slot(l1, 2), Pte.of(notDomUs, RW)),
                new MmuUpdate(slot(l1, 3), Pte.of(domUFrame, RW)));
        assertEquals(-Errno.EINVAL, rc);
        assertEquals(1, done());
        assertEquals(1, m.host.m2p().foreignRefs(domUFrame));
        assertEquals(0, m.host.m2p().foreignRefs(notDomUs));
        assertEquals(0, m.machine.segment().get(ValueLayout.JAVA_LONG, slot(l1, 2)), "a refused entry is not written");
    }

    @Test
    void refusesFramesThatAreNotLiveFramesOfTheForeignDomain() {
        assertEquals(-Errno.EINVAL, update(dom0, 1, new MmuUpdate(slot(l1, 1), Pte.of(1, RW))), "hypervisor frame");
        assertEquals(-Errno.EINVAL, update(dom0, 1, new MmuUpdate(slot(l1, 1), Pte.of(200, RW))), "free frame");
        assertEquals(-Errno.EINVAL, update(dom0, 1, new MmuUpdate(slot(l1, 1), Pte.of(1L << 30, RW))), "beyond the machine");
        assertEquals(-Errno.EINVAL, update(dom0, DomId.IO, new MmuUpdate(slot(l1, 1), Pte.of(domUFrame, RW))));
        assertEquals(0, update(dom0, DomId.XEN, new MmuUpdate(slot(l1, 1), Pte.of(2, Pte.PAGE_PRESENT))),
                "a privileged caller may map hypervisor frames through DOMID_XEN");
        assertEquals(0, update(dom0, DomId.XEN, new MmuUpdate(slot(l1, 1), 0)));
    }

    @Test
    void theSlotMustLieInALiveRamFrameOfThePageTableOwner() {
        long shared = dom0.memory().allocateSharedPage();
        assertEquals(-Errno.EINVAL, update(dom0, 1, new MmuUpdate(slot(domUFrame, 0), Pte.of(domUFrame, RW))));
        assertEquals(-Errno.EINVAL, update(dom0, 1, new MmuUpdate(slot(shared, 0), Pte.of(domUFrame, RW))));
        assertEquals(-Errno.EINVAL, update(dom0, 1, new MmuUpdate(slot(300, 0), Pte.of(domUFrame, RW))));
        assertEquals(0, m.host.m2p().foreignRefs(domUFrame));
    }

    @Test
    void onlyAPrivilegedCallerMapsAnotherDomainsFrames() {
        long ownL1 = domU.memory().populatePhysmap(0, 0);
        long otherFrame = other.memory().populatePhysmap(0, 0);
        GuestMemory domUMem = new DomainGuestMemory(domU.memory(), PreemptionHook.NONE);
        new MmuUpdate(slot(ownL1, 0), Pte.of(otherFrame, RW)).writeTo(domUMem, 0x100, 0);
        assertEquals(-Errno.EPERM, ops.mmuUpdate(domU, domUMem, 0x100, 1, 0x80, 2));
        assertEquals(0, domUMem.getInt(0x80));
        assertEquals(0, m.host.m2p().foreignRefs(otherFrame));
        new MmuUpdate(slot(ownL1, 0), Pte.of(domUFrame, RW)).writeTo(domUMem, 0x100, 0);
        assertEquals(0, ops.mmuUpdate(domU, domUMem, 0x100, 1, 0x80, DomId.SELF), "its own frames are fine");
        assertEquals(1, domUMem.getInt(0x80));
        assertEquals(-Errno.EPERM, ops.mmuUpdate(domU, domUMem, 0x100, 1, 0x80, DomId.XEN));
        assertEquals(-Errno.EPERM, ops.mmuUpdate(domU, domUMem, 0x100, 1, 0x80, (0 + 1) << 16 | DomId.SELF),
                "nor may it write dom0's page tables");
        domU.memory().releaseAll();
        assertTrue(domU.memory().isReleased());
    }

    @Test
    void unknownDomainsAndUnreadableRequests() {
        assertEquals(-Errno.ESRCH, update(dom0, 9, new MmuUpdate(slot(l1, 0), Pte.of(domUFrame, RW))));
        assertEquals(0, done(), "progress is reported even for an unknown page owner");
        assertEquals(-Errno.ESRCH, update(dom0, (9 + 1) << 16 | DomId.SELF, new MmuUpdate(slot(l1, 0), 0)));
        assertEquals(-Errno.EFAULT, ops.mmuUpdate(dom0, bounce, Page.SIZE - 16, 2, PDONE, 1));
        assertEquals(-Errno.EFAULT, ops.mmuUpdate(dom0, bounce, -16, 1, PDONE, 1));
    }

    @Test
    void commandsOtherThanPageTableAndMachphysUpdatesAreEnosys() {
        assertEquals(-Errno.ENOSYS, update(dom0, 1, new MmuUpdate(slot(l1, 0) | 4, Pte.of(domUFrame, RW))));
        assertEquals(-Errno.ENOSYS, update(dom0, 1, new MmuUpdate(slot(l1, 0) | 7, 0)));
        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 0) | MmuUpdate.MMU_PT_UPDATE_NO_TRANSLATE, Pte.of(domUFrame, RW))));
        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 0), 0)));
    }

    @Test
    void preserveAccessedDirtyKeepsThoseBits() {
        m.machine.segment().set(ValueLayout.JAVA_LONG, slot(l1, 7), Pte.PAGE_ACCESSED | Pte.PAGE_DIRTY);
        long val = Pte.of(domUFrame, RW);
        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 7) | MmuUpdate.MMU_PT_UPDATE_PRESERVE_AD, val)));
        assertEquals(val | Pte.PAGE_ACCESSED | Pte.PAGE_DIRTY, m.machine.segment().get(ValueLayout.JAVA_LONG, slot(l1, 7)));
        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 7), 0)));
    }

    @Test
    void aContinuationAddsToTheDoneCountAlreadyReported() {
        new MmuUpdate(slot(l1, 0), Pte.of(domUFrame, RW)).writeTo(bounce, REQS, 0);
        bounce.putInt(PDONE, 5);
        assertEquals(0, ops.mmuUpdate(dom0, bounce, REQS, 1 | MmuUpdate.MMU_UPDATE_PREEMPTED, PDONE, 1));
        assertEquals(6, done());
        assertEquals(0, update(dom0, 1, new MmuUpdate(slot(l1, 0), 0)));
    }

    @Test
    void machphysUpdateMovesAnOwnedFrameInTheP2m() {
        long spare = domU.memory().increaseReservation(0);
        assertEquals(0, update(dom0, 1, new MmuUpdate((spare << Page.SHIFT) | MmuUpdate.MMU_MACHPHYS_UPDATE, 20)));
        assertEquals(spare, domU.memory().lookup(20));
        assertEquals(20, m.host.m2p().gpfn(spare));
        assertEquals(-Errno.EEXIST, update(dom0, 1, new MmuUpdate((spare << Page.SHIFT) | 1, 3)));
        assertEquals(-Errno.EINVAL, update(dom0, 1, new MmuUpdate((spare << Page.SHIFT) | 1, 64)));
        assertEquals(-Errno.EINVAL, update(dom0, 1, new MmuUpdate((l1 << Page.SHIFT) | 1, 21)), "not domU's frame");
        assertEquals(0, update(dom0, 1, new MmuUpdate((spare << Page.SHIFT) | 1, -1L)));
        assertEquals(Page.INVALID_FRAME, domU.memory().lookup(20));
        assertEquals(Page.INVALID_FRAME, m.host.m2p().gpfn(spare));
        assertEquals(-Errno.EPERM, update(dom0, (1 + 1) << 16 | 1, new MmuUpdate((spare << Page.SHIFT) | 1, 20)),
                "machphys updates are for the caller's own tables");
    }
}
