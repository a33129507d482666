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
import org.hvsim.hv.abi.memory.XenMemFlags;
import org.hvsim.hv.abi.memory.XenMemoryReservation;
import org.hvsim.hv.memory.TestMachine.TestDomain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** memory_op as guests and dom0 call it: arguments are read from the caller's own memory. */
class MemoryOpsTest {
    private static final long ARG = 0x100;
    private static final long LIST = 0x800;

    private final TestMachine m = new TestMachine(1024, 4);
    private final TestDomain dom0 = m.domain(0, true, 256, 1024);
    private final TestDomain domU = m.domain(1, false, 16, 1024);
    private final TestDomain other = m.domain(2, false, 16, 1024);
    private final MemoryOps ops = new MemoryOps(m.host, m);
    /** domU's own memory: gpfn 0 holds its hypercall arguments. */
    private final GuestMemory domUMem;
    /** dom0's privcmd bounce buffer. */
    private final GuestMemory bounce = SegmentGuestMemory.allocate(2 * Page.SIZE);

    MemoryOpsTest() {
        assertTrue(domU.memory().populatePhysmap(0, 0) >= 0);
        domUMem = new DomainGuestMemory(domU.memory(), PreemptionHook.NONE);
    }

    @AfterEach
    void close() {
        assertEquals(List.of(), m.checker.check());
        m.close();
    }

    private static void reservation(GuestMemory mem, long list, long nr, int order, int flags, int domid) {
        new XenMemoryReservation(list, nr, order, flags, domid).writeTo(mem, ARG);
    }

    private static void extents(GuestMemory mem, long... values) {
        for (int i = 0; i < values.length; i++) {
            mem.putLong(LIST + 8L * i, values[i]);
        }
    }

    @Test
    void populatePhysmapReadsGpfnsAndWritesBackMfns() {
        reservation(domUMem, LIST, 3, 0, 0, DomId.SELF);
        extents(domUMem, 10, 12, 11);
        assertEquals(3, ops.op(domU, XenMem.POPULATE_PHYSMAP, domUMem, ARG));
        assertEquals(domU.memory().lookup(10), domUMem.getLong(LIST));
        assertEquals(domU.memory().lookup(12), domUMem.getLong(LIST + 8));
        assertEquals(domU.memory().lookup(11), domUMem.getLong(LIST + 16));
        assertEquals(4, domU.memory().totPages());
    }

    @Test
    void dom0PopulatesAnotherDomainFromItsBounceBuffer() {
        domU.memory().setMaxPages(17);
        reservation(bounce, LIST, 2, 3, 0, 1);
        extents(bounce, 16, 24);
        assertEquals(2, ops.op(dom0, XenMem.POPULATE_PHYSMAP, bounce, ARG));
        assertEquals(17, domU.memory().totPages());
        assertEquals(domU.memory().lookup(24), bounce.getLong(LIST + 8));
        assertEquals(domU.memory().lookup(24) + 7, domU.memory().lookup(31));
    }

    @Test
    void increaseReservationReturnsMfnsOrJustCountsWithANullList() {
        reservation(bounce, LIST, 2, 1, 0, 1);
        assertEquals(2, ops.op(dom0, XenMem.INCREASE_RESERVATION, bounce, ARG));
        long mfn = bounce.getLong(LIST);
        assertEquals(1, m.host.m2p().owner(mfn));
        assertEquals(Page.INVALID_FRAME, m.host.m2p().gpfn(mfn));
        reservation(bounce, 0, 3, 0, 0, 1);
        assertEquals(3, ops.op(dom0, XenMem.INCREASE_RESERVATION, bounce, ARG));
        assertEquals(8, domU.memory().totPages());
    }

    @Test
    void maxPagesGivesPartialSuccess() {
        reservation(domUMem, LIST, 20, 0, 0, DomId.SELF);
        for (int i = 0; i < 20; i++) {
            domUMem.putLong(LIST + 8L * i, 100 + i);
        }
        assertEquals(15, ops.op(domU, XenMem.POPULATE_PHYSMAP, domUMem, ARG), "16 pages allowed, one holds the arguments");
        assertEquals(100 + 15, domUMem.getLong(LIST + 8 * 15), "extents not done are left alone");
    }

    @Test
    void decreaseStopsAtTheFirstUnpopulatedGpfn() {
        for (long g : new long[] {5, 6, 8}) {
            domU.memory().populatePhysmap(g, 0);
        }
        reservation(domUMem, LIST, 4, 0, 0, DomId.SELF);
        extents(domUMem, 5, 6, 7, 8);
        assertEquals(2, ops.op(domU, XenMem.DECREASE_RESERVATION, domUMem, ARG));
        assertEquals(Page.INVALID_FRAME, domU.memory().lookup(6));
        assertTrue(domU.memory().lookup(8) != Page.INVALID_FRAME);
    }

    @Test
    void continuationStartsAtTheExtentEncodedInCmd() {
        reservation(domUMem, LIST, 4, 0, 0, DomId.SELF);
        extents(domUMem, 40, 41, 42, 43);
        assertEquals(4, ops.op(domU, XenMem.POPULATE_PHYSMAP | (2 << XenMem.CMD_MASK_BITS), domUMem, ARG));
        assertEquals(Page.INVALID_FRAME, domU.memory().lookup(41));
        assertTrue(domU.memory().lookup(42) != Page.INVALID_FRAME);
        assertEquals(4, ops.op(domU, XenMem.POPULATE_PHYSMAP | (4 << XenMem.CMD_MASK_BITS), domUMem, ARG));
        assertEquals(Errno.EINVAL, -ops.op(domU, XenMem.CURRENT_RESERVATION | (1 << XenMem.CMD_MASK_BITS), domUMem, ARG));
    }

    @Test
    void privilegeAndUnknownDomains() {
        reservation(domUMem, LIST, 1, 0, 0, 2);
        extents(domUMem, 50);
        assertEquals(-Errno.EPERM, ops.op(domU, XenMem.POPULATE_PHYSMAP, domUMem, ARG));
        assertEquals(0, other.memory().totPages());
        reservation(domUMem, LIST, 1, 0, 0, 1);
        assertEquals(1, ops.op(domU, XenMem.POPULATE_PHYSMAP, domUMem, ARG), "naming oneself is allowed");
        // Xen reports an unknown target domain as "no extents done" (start_extent), not as an error.
        reservation(bounce, LIST, 1, 0, 0, 99);
        assertEquals(0, ops.op(dom0, XenMem.INCREASE_RESERVATION, bounce, ARG));
        reservation(bounce, LIST, 1, 0, 0, DomId.XEN);
        assertEquals(0, ops.op(dom0, XenMem.INCREASE_RESERVATION, bounce, ARG));
    }

    @Test
    void extentOrderIsLimitedByTheCallersPrivilege() {
        domU.memory().setMaxPages(4096);
        reservation(domUMem, LIST, 1, MemoryOps.DOMU_MAX_ORDER + 1, 0, DomId.SELF);
        extents(domUMem, 1024);
        assertEquals(0, ops.op(domU, XenMem.POPULATE_PHYSMAP, domUMem, ARG));
        reservation(bounce, LIST, 1, MemoryOps.DOMU_MAX_ORDER + 1, 0, 1);
        extents(bounce, 0);
        assertEquals(0, ops.op(dom0, XenMem.INCREASE_RESERVATION, bounce, ARG), "1024 frames do not fit this machine");
        reservation(bounce, LIST, 1, MemoryOps.DOMU_MAX_ORDER, 0, 1);
        assertEquals(1, ops.op(dom0, XenMem.INCREASE_RESERVATION, bounce, ARG));
        reservation(bounce, LIST, 1, -1, 0, 1);
        assertEquals(0, ops.op(dom0, XenMem.INCREASE_RESERVATION, bounce, ARG), "extent_order is unsigned");
    }

    @Test
    void unreadableArgumentsAndListsDoNothing() {
        assertEquals(0, ops.op(domU, XenMem.POPULATE_PHYSMAP, domUMem, 5 * Page.SIZE));
        reservation(domUMem, Page.SIZE - 8, 2, 0, 0, DomId.SELF);
        assertEquals(0, ops.op(domU, XenMem.POPULATE_PHYSMAP, domUMem, ARG), "the list runs off the populated page");
        reservation(domUMem, LIST, 1L << 40, 0, 0, DomId.SELF);
        assertEquals(0, ops.op(domU, XenMem.POPULATE_PHYSMAP, domUMem, ARG), "too many extents to encode a continuation");
        reservation(domUMem, LIST, 1, 0, XenMemFlags.POPULATE_ON_DEMAND, DomId.SELF);
        assertEquals(0, ops.op(domU, XenMem.POPULATE_PHYSMAP, domUMem, ARG), "populate-on-demand is for HVM guests");
        assertEquals(1, domU.memory().totPages());
    }

    @Test
    void aDyingDomainGetsNoNewFrames() {
        domU.dying = true;
        reservation(bounce, LIST, 2, 0, 0, 1);
        extents(bounce, 70, 71);
        assertEquals(0, ops.op(dom0, XenMem.POPULATE_PHYSMAP, bounce, ARG));
        assertEquals(0, ops.op(dom0, XenMem.INCREASE_RESERVATION, bounce, ARG));
    }

    @Test
    void reservationQueries() {
        domU.memory().populatePhysmap(77, 0);
        domUMem.putShort(ARG, (short) DomId.SELF);
        assertEquals(2, ops.op(domU, XenMem.CURRENT_RESERVATION, domUMem, ARG));
        assertEquals(16, ops.op(domU, XenMem.MAXIMUM_RESERVATION, domUMem, ARG));
        assertEquals(77, ops.op(domU, XenMem.MAXIMUM_GPFN, domUMem, ARG));
        domUMem.putShort(ARG, (short) 2);
        assertEquals(-Errno.EPERM, ops.op(domU, XenMem.CURRENT_RESERVATION, domUMem, ARG));
        bounce.putShort(ARG, (short) 1);
        assertEquals(2, ops.op(dom0, XenMem.CURRENT_RESERVATION, bounce, ARG));
        bounce.putShort(ARG, (short) 42);
        assertEquals(-Errno.ESRCH, ops.op(dom0, XenMem.MAXIMUM_RESERVATION, bounce, ARG));
        assertEquals(-Errno.EFAULT, ops.op(domU, XenMem.CURRENT_RESERVATION, domUMem, Page.SIZE - 1));
        assertEquals(1024, ops.op(domU, XenMem.MAXIMUM_RAM_PAGE, domUMem, 0));
        assertEquals(-Errno.ENOSYS, ops.op(domU, XenMem.EXCHANGE, domUMem, ARG));
        assertEquals(-Errno.ENOSYS, ops.op(domU, XenMem.CLAIM_PAGES, domUMem, ARG));
    }
}
