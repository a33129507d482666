package org.hvsim.hv.gnttab;

import static org.hvsim.hv.abi.gnttab.GntTabOp.GNTMAP_DEVICE_MAP;
import static org.hvsim.hv.abi.gnttab.GntTabOp.GNTMAP_HOST_MAP;
import static org.hvsim.hv.abi.gnttab.GntTabOp.GNTMAP_READONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabCopy;
import org.hvsim.hv.abi.gnttab.GnttabQuerySize;
import org.hvsim.hv.abi.gnttab.GnttabSetupTable;
import org.hvsim.hv.abi.gnttab.GrantEntryV1;
import org.hvsim.hv.abi.gnttab.Gtf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every grant_table_op operation and status code, on real machine memory. */
class GrantTableOpsTest {
    private static final int RW = GNTMAP_HOST_MAP;
    private static final int RO = GNTMAP_HOST_MAP | GNTMAP_READONLY;

    private GrantFixture fx;
    private GrantFixture.Dom dom0;
    private GrantFixture.Dom guest;
    private GrantFixture.Dom other;

    @BeforeEach
    void setUp() {
        fx = new GrantFixture(2048);
        dom0 = fx.domain(0, true, 16, 4, 4);
        guest = fx.domain(1);
        other = fx.domain(2);
        assertEquals(GntSt.OKAY, guest.setupTable(1));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void setupTableGrowsAndListsTheFramesAtTheirGfns() {
        assertEquals(1, guest.table.nrFrames());
        assertEquals(GntSt.OKAY, guest.setupTable(3));
        assertEquals(3, guest.table.nrFrames());
        for (int i = 0; i < 3; i++) {
            long gfn = guest.view.getLong(GrantFixture.ARG + 64 + 8L * i);
            assertEquals(guest.table.frameGfn(i), gfn);
            assertNotEquals(Page.INVALID_FRAME, guest.memory.lookup(gfn), "frame " + i + " is in the P2M");
        }
        assertEquals(GntSt.OKAY, guest.setupTable(2), "asking for fewer frames than there are is fine");
        assertEquals(3, guest.table.nrFrames());
        assertEquals(GntSt.GENERAL_ERROR, guest.setupTable(5), "max_grant_frames is 4");
        new GnttabSetupTable(DomId.SELF, -1, 0, GrantFixture.ARG + 64).write(guest.view, GrantFixture.ARG);
        assertEquals(-Errno.EFAULT, guest.call(GntTabOp.SETUP_TABLE, GrantFixture.ARG, 1), "2^32-1 frames do not fit");
        assertEquals(3, guest.table.nrFrames());
        assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
    }

    @Test
    void setupTableForAnotherDomainNeedsPrivilegeAndARealDomain() {
        new GnttabSetupTable(2, 1, 0, GrantFixture.ARG + 64).write(guest.view, GrantFixture.ARG);
        assertEquals(0, guest.call(GntTabOp.SETUP_TABLE, GrantFixture.ARG, 1));
        assertEquals(GntSt.PERMISSION_DENIED, guest.view.getShort(GrantFixture.ARG + GnttabSetupTable.STATUS));
        assertEquals(0, other.table.nrFrames());

        new GnttabSetupTable(2, 1, 0, GrantFixture.ARG + 64).write(dom0.view, GrantFixture.ARG);
        assertEquals(0, dom0.call(GntTabOp.SETUP_TABLE, GrantFixture.ARG, 1));
        assertEquals(GntSt.OKAY, dom0.view.getShort(GrantFixture.ARG + GnttabSetupTable.STATUS));
        assertEquals(1, other.table.nrFrames());

        new GnttabSetupTable(77, 1, 0, GrantFixture.ARG + 64).write(dom0.view, GrantFixture.ARG);
        assertEquals(0, dom0.call(GntTabOp.SETUP_TABLE, GrantFixture.ARG, 1));
        assertEquals(GntSt.BAD_DOMAIN, dom0.view.getShort(GrantFixture.ARG + GnttabSetupTable.STATUS));
        assertEquals(-Errno.EINVAL, dom0.call(GntTabOp.SETUP_TABLE, GrantFixture.ARG, 2), "count must be 1");
    }

    @Test
    void setupTableWithAnUnwritableFrameListFaultsBeforeGrowing() {
        new GnttabSetupTable(DomId.SELF, 2, 0, 1L << 40).write(guest.view, GrantFixture.ARG);
        assertEquals(-Errno.EFAULT, guest.call(GntTabOp.SETUP_TABLE, GrantFixture.ARG, 1));
        assertEquals(1, guest.table.nrFrames());
    }

    @Test
    void querySizeReportsFramesAndMaximum() {
        new GnttabQuerySize(DomId.SELF, 0, 0, 99).write(guest.view, GrantFixture.ARG);
        assertEquals(0, guest.call(GntTabOp.QUERY_SIZE, GrantFixture.ARG, 1));
        assertEquals(new GnttabQuerySize(DomId.SELF, 1, 4, GntSt.OKAY), GnttabQuerySize.read(guest.view, GrantFixture.ARG));

        new GnttabQuerySize(1, 0, 0, 99).write(other.view, GrantFixture.ARG);
        assertEquals(0, other.call(GntTabOp.QUERY_SIZE, GrantFixture.ARG, 1));
        assertEquals(GntSt.PERMISSION_DENIED, GnttabQuerySize.read(other.view, GrantFixture.ARG).status());

        new GnttabQuerySize(1, 0, 0, 99).write(dom0.view, GrantFixture.ARG);
        assertEquals(0, dom0.call(GntTabOp.QUERY_SIZE, GrantFixture.ARG, 1));
        assertEquals(new GnttabQuerySize(1, 1, 4, GntSt.OKAY), GnttabQuerySize.read(dom0.view, GrantFixture.ARG));

        new GnttabQuerySize(9, 0, 0, 99).write(dom0.view, GrantFixture.ARG);
        assertEquals(0, dom0.call(GntTabOp.QUERY_SIZE, GrantFixture.ARG, 1));
        assertEquals(GntSt.BAD_DOMAIN, GnttabQuerySize.read(dom0.view, GrantFixture.ARG).status());
    }

    @Test
    void mapSetsFlagsPinsAndGivesTheMachineAddressOfTheGrantedFrame() {
        guest.view.putLong(Page.addressOf(5) + 8, 0x1122334455667788L);
        guest.grant(8, 0, 5, false);
        long[] r = dom0.map(1, 8, RW);
        assertEquals(GntSt.OKAY, r[0], GrantFixture.st(r[0]));
        assertEquals(Page.addressOf(guest.memory.lookup(5)), r[2]);
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READING | Gtf.WRITING, guest.flags(8));
        assertEquals(1, guest.table.writePins(8));
        assertEquals(0, guest.table.readPins(8));
        assertEquals(1, dom0.table.mappings());
        // dom0 reads and writes the frame in machine memory
        var frame = fx.machine.segment().asSlice(r[2], Page.SIZE);
        assertEquals(0x1122334455667788L, frame.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 8));
        frame.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 16, 42L);
        assertEquals(42L, guest.view.getLong(Page.addressOf(5) + 16));
        assertFalse(guest.endAccess(8), "a mapped grant cannot be ended");

        assertEquals(GntSt.OKAY, dom0.unmap(r[1], r[2]));
        assertEquals(Gtf.PERMIT_ACCESS, guest.flags(8));
        assertEquals(0, guest.table.writePins(8));
        assertEquals(0, dom0.table.mappings());
        assertTrue(guest.endAccess(8));
        assertEquals(Gtf.INVALID, guest.flags(8));
        assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
    }

    @Test
    void readonlyMappingsSetOnlyReadingAndCount() {
        guest.grant(9, 0, 6, true);
        long[] a = dom0.map(1, 9, RO);
        long[] b = dom0.map(1, 9, RO | GNTMAP_DEVICE_MAP);
        assertEquals(GntSt.OKAY, a[0]);
        assertEquals(GntSt.OKAY, b[0]);
        assertNotEquals(a[1], b[1], "two mappings, two handles");
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READONLY | Gtf.READING, guest.flags(9));
        assertEquals(2, guest.table.readPins(9));
        assertEquals(GntSt.OKAY, dom0.unmap(a[1], 0));
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READONLY | Gtf.READING, guest.flags(9), "still mapped once");
        assertEquals(GntSt.OKAY, dom0.unmap(b[1], 0));
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READONLY, guest.flags(9));
    }

    @Test
    void writableAndReadonlyPinsClearTheirOwnFlags() {
        guest.grant(10, 0, 6, false);
        long[] ro = dom0.map(1, 10, RO);
        long[] rw = dom0.map(1, 10, RW);
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READING | Gtf.WRITING, guest.flags(10));
        assertEquals(GntSt.OKAY, dom0.unmap(rw[1], 0));
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READING, guest.flags(10), "writing goes with the last writable pin");
        assertEquals(GntSt.OKAY, dom0.unmap(ro[1], 0));
        assertEquals(Gtf.PERMIT_ACCESS, guest.flags(10));
    }

    @Test
    void mapErrors() {
        guest.grant(8, 0, 5, true);
        guest.grant(11, 2, 5, false);
        assertEquals(GntSt.BAD_GNTREF, dom0.map(1, 8, GNTMAP_READONLY)[0], "neither host_map nor device_map");
        assertEquals(GntSt.BAD_DOMAIN, dom0.map(42, 8, RO)[0], "no such domain");
        assertEquals(GntSt.BAD_DOMAIN, dom0.map(DomId.SELF, 8, RO)[0], "map takes a real domain id");
        assertEquals(GntSt.BAD_GNTREF, dom0.map(1, 512, RO)[0], "one frame holds refs 0..511");
        assertEquals(GntSt.BAD_GNTREF, dom0.map(1, -1, RO)[0]);
        assertEquals(GntSt.GENERAL_ERROR, dom0.map(1, 8, RW)[0], "readonly grant mapped writable");
        assertEquals(GntSt.GENERAL_ERROR, dom0.map(1, 11, RO)[0], "granted to d2, not d0");
        assertEquals(GntSt.GENERAL_ERROR, dom0.map(1, 12, RO)[0], "GTF_invalid");
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READONLY, guest.flags(8), "failed maps leave the entry alone");
        assertEquals(Gtf.PERMIT_ACCESS, guest.flags(11));
        assertEquals(0, dom0.table.mappings());
        assertEquals(0, guest.table.totalPins());

        guest.grant(13, 0, 999, false);
        assertEquals(GntSt.BAD_PAGE, dom0.map(1, 13, RW)[0], "gfn 999 is not RAM of d1");
        assertEquals(Gtf.PERMIT_ACCESS, guest.flags(13), "flags set for the attempt are cleared");
        guest.grant(14, 0, guest.table.frameGfn(0), false);
        assertEquals(GntSt.BAD_PAGE, dom0.map(1, 14, RW)[0], "a grant table frame is not RAM");
    }

    @Test
    void aPinnedGrantCannotBeTakenByAnotherDomainAfterTheGuestRewritesIt() {
        guest.grant(8, 0, 5, false);
        long[] r = dom0.map(1, 8, RO);
        guest.view.putShort(guest.entryAddress(8) + GrantEntryV1.DOMID, (short) 2); // guest misbehaves
        assertEquals(GntSt.GENERAL_ERROR, other.map(1, 8, RO)[0], "the active entry belongs to d0");
        assertEquals(GntSt.OKAY, dom0.map(1, 8, RO)[0], "further read pins for d0 use the active entry");
        assertEquals(GntSt.OKAY, dom0.unmap(r[1], 0));
    }

    @Test
    void unmapErrors() {
        guest.grant(8, 0, 5, false);
        long[] r = dom0.map(1, 8, RW);
        assertEquals(GntSt.BAD_HANDLE, dom0.unmap(r[1] + 1, 0));
        assertEquals(GntSt.BAD_HANDLE, dom0.unmap(-1, 0));
        assertEquals(GntSt.BAD_HANDLE, other.unmap(r[1], 0), "handles are per mapping domain");
        assertEquals(GntSt.GENERAL_ERROR, dom0.unmap(r[1], r[2] + Page.SIZE), "bus address does not match");
        assertEquals(1, guest.table.writePins(8), "a failed unmap keeps the mapping");
        assertEquals(GntSt.OKAY, dom0.unmap(r[1], r[2]));
        assertEquals(GntSt.BAD_HANDLE, dom0.unmap(r[1], 0), "unmapped twice");
    }

    @Test
    void maptrackAndPinCountsAreBounded() {
        GrantFixture.Dom noMaptrack = fx.domain(3, false, 16, 1, 0);
        guest.grant(8, 3, 5, true);
        assertEquals(GntSt.NO_SPACE, noMaptrack.map(1, 8, RO)[0]);
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READONLY, guest.flags(8));

        guest.grant(9, 0, 5, true);
        for (int i = 0; i < ActiveGrant.MAX_PINS; i++) {
            assertEquals(GntSt.OKAY, dom0.map(1, 9, RO)[0]);
        }
        assertEquals(GntSt.GENERAL_ERROR, dom0.map(1, 9, RO)[0], "a counter at 128 stops every pin");
        assertEquals(ActiveGrant.MAX_PINS, guest.table.readPins(9));
    }

    @Test
    void copyBetweenAGrantAndTheCallersOwnFrame() {
        byte[] data = "grant copy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        guest.view.write(Page.addressOf(5) + 100, data);
        guest.grant(8, 0, 5, true);
        GnttabCopy in = new GnttabCopy(new GnttabCopy.Ptr(8, 1, 100), new GnttabCopy.Ptr(3, DomId.SELF, 4000),
                data.length, GntTabOp.GNTCOPY_SOURCE_GREF, 99);
        assertEquals(GntSt.OKAY, dom0.copy(in));
        assertEquals("grant copy", new String(dom0.view.readBytes(Page.addressOf(3) + 4000, data.length),
                java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READONLY, guest.flags(8), "a copy's pin is gone when it returns");
        assertEquals(0, guest.table.totalPins());

        GnttabCopy out = new GnttabCopy(new GnttabCopy.Ptr(3, DomId.SELF, 4000), new GnttabCopy.Ptr(8, 1, 0),
                data.length, GntTabOp.GNTCOPY_DEST_GREF, 99);
        assertEquals(GntSt.GENERAL_ERROR, dom0.copy(out), "the grant is read-only");
        guest.grant(9, 0, 6, false);
        out = new GnttabCopy(out.source(), new GnttabCopy.Ptr(9, 1, 0), data.length, GntTabOp.GNTCOPY_DEST_GREF, 99);
        assertEquals(GntSt.OKAY, dom0.copy(out));
        assertEquals("grant copy", new String(guest.view.readBytes(Page.addressOf(6), data.length),
                java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(Gtf.PERMIT_ACCESS, guest.flags(9));
        assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
    }

    @Test
    void copyErrors() {
        guest.grant(8, 0, 5, false);
        GnttabCopy.Ptr self = new GnttabCopy.Ptr(3, DomId.SELF, 0);
        int src = GntTabOp.GNTCOPY_SOURCE_GREF;
        assertEquals(GntSt.BAD_COPY_ARG, dom0.copy(new GnttabCopy(new GnttabCopy.Ptr(8, 1, 4000), self, 97, src, 0)));
        assertEquals(GntSt.GENERAL_ERROR, other.copy(new GnttabCopy(new GnttabCopy.Ptr(8, 1, 4000), self, 97, src, 0)),
                "the grant is checked before the offsets, as in Xen");
        assertEquals(GntSt.BAD_COPY_ARG, dom0.copy(new GnttabCopy(new GnttabCopy.Ptr(8, 1, 0),
                new GnttabCopy.Ptr(3, DomId.SELF, 4095), 2, src, 0)));
        assertEquals(GntSt.PERMISSION_DENIED, dom0.copy(new GnttabCopy(new GnttabCopy.Ptr(5, 1, 0), self, 8, 0, 0)),
                "copy by gmfn only for DOMID_SELF");
        assertEquals(GntSt.BAD_DOMAIN, dom0.copy(new GnttabCopy(new GnttabCopy.Ptr(8, 42, 0),
                new GnttabCopy.Ptr(5, 1, 0), 8, src, 0)), "the source is checked first");
        assertEquals(GntSt.BAD_DOMAIN, dom0.copy(new GnttabCopy(new GnttabCopy.Ptr(8, 42, 0), self, 8, src, 0)));
        assertEquals(GntSt.BAD_GNTREF, dom0.copy(new GnttabCopy(new GnttabCopy.Ptr(600, 1, 0), self, 8, src, 0)));
        assertEquals(GntSt.GENERAL_ERROR, other.copy(new GnttabCopy(new GnttabCopy.Ptr(8, 1, 0), self, 8, src, 0)),
                "granted to d0, not d2");
        assertEquals(GntSt.BAD_PAGE, dom0.copy(new GnttabCopy(new GnttabCopy.Ptr(8, 1, 0),
                new GnttabCopy.Ptr(5000, DomId.SELF, 0), 8, src, 0)), "dom0 has no gfn 5000");
        assertEquals(Gtf.PERMIT_ACCESS, guest.flags(8));
        assertEquals(0, guest.table.totalPins());
        assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
    }

    @Test
    void aDyingGranterKeepsMappedFramesUntilTheyAreUnmapped() {
        guest.view.putLong(Page.addressOf(5), 77);
        guest.grant(8, 0, 5, false);
        long[] r = dom0.map(1, 8, RW);
        long mfn = r[2] >>> Page.SHIFT;
        fx.kill(guest);
        assertFalse(guest.memory.isFullyReleased(), "the mapped frame keeps d1's memory alive");
        assertEquals(77, fx.machine.frame(mfn).get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0),
                "the frame is not scrubbed while mapped");
        assertEquals(GntSt.BAD_DOMAIN, dom0.map(1, 8, RW)[0], "a dying domain grants nothing new");
        assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
        assertEquals(GntSt.OKAY, dom0.unmap(r[1], r[2]));
        assertTrue(guest.memory.isFullyReleased(), "the last unmap frees the frame");
        fx.reap(guest);
        assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
    }

    @Test
    void aDyingMapperReleasesItsMappings() {
        guest.grant(8, 2, 5, false);
        guest.grant(9, 2, 6, true);
        assertEquals(GntSt.OKAY, other.map(1, 8, RW)[0]);
        assertEquals(GntSt.OKAY, other.map(1, 9, RO)[0]);
        fx.kill(other);
        assertEquals(Gtf.PERMIT_ACCESS, guest.flags(8));
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READONLY, guest.flags(9));
        assertEquals(0, guest.table.totalPins());
        assertTrue(other.memory.isFullyReleased());
        assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
    }

    @Test
    void callLevelErrors() {
        assertEquals(-Errno.EINVAL, dom0.call(GntTabOp.MAP_GRANT_REF, GrantFixture.ARG, 0xFFFF_FFFFL), "(int) count < 0");
        assertEquals(-Errno.E2BIG, dom0.call(GntTabOp.MAP_GRANT_REF, GrantFixture.ARG, GrantTableOps.MAX_OPS + 1));
        assertEquals(-Errno.EINVAL, dom0.call(GntTabOp.QUERY_SIZE | 1 << 12, GrantFixture.ARG, 1), "continuation bits");
        assertEquals(-Errno.ENOSYS, dom0.call(GntTabOp.TRANSFER, GrantFixture.ARG, 1));
        assertEquals(-Errno.ENOSYS, dom0.call(99, GrantFixture.ARG, 1));
        assertEquals(-Errno.EFAULT, dom0.call(GntTabOp.MAP_GRANT_REF, Page.addressOf(15) + 4080, 1));
        assertEquals(0, dom0.call(GntTabOp.MAP_GRANT_REF, 1L << 40, 0), "nothing to do");
        assertEquals(-Errno.EFAULT, dom0.call(GntTabOp.QUERY_SIZE, 1L << 40, 1));
        dom0.view.putInt(GrantFixture.ARG, 1);
        assertEquals(0, dom0.call(GntTabOp.SET_VERSION, GrantFixture.ARG, 1));
        dom0.view.putInt(GrantFixture.ARG, 2);
        assertEquals(-Errno.ENOSYS, dom0.call(GntTabOp.SET_VERSION, GrantFixture.ARG, 1), "v1 only (max-ver:1)");
        assertEquals(1, dom0.view.getInt(GrantFixture.ARG));
        dom0.view.putInt(GrantFixture.ARG, 3);
        assertEquals(-Errno.EINVAL, dom0.call(GntTabOp.SET_VERSION, GrantFixture.ARG, 1));
        dom0.view.putLong(GrantFixture.ARG, DomId.SELF);
        assertEquals(0, dom0.call(GntTabOp.GET_VERSION, GrantFixture.ARG, 1));
        assertEquals(1, dom0.view.getInt(GrantFixture.ARG + 4));
    }

    @Test
    void anArrayOfMapsGetsAStatusEach() {
        guest.grant(8, 0, 5, false);
        guest.grant(9, 0, 6, true);
        long base = GrantFixture.ARG;
        org.hvsim.hv.abi.gnttab.GnttabMapGrantRef.request(RW, 8, 1).write(dom0.view, base);
        org.hvsim.hv.abi.gnttab.GnttabMapGrantRef.request(RW, 9, 1).write(dom0.view, base + 32);
        org.hvsim.hv.abi.gnttab.GnttabMapGrantRef.request(RO, 9, 1).write(dom0.view, base + 64);
        assertEquals(0, dom0.call(GntTabOp.MAP_GRANT_REF, base, 3));
        assertEquals(GntSt.OKAY, org.hvsim.hv.abi.gnttab.GnttabMapGrantRef.read(dom0.view, base).status());
        assertEquals(GntSt.GENERAL_ERROR, org.hvsim.hv.abi.gnttab.GnttabMapGrantRef.read(dom0.view, base + 32).status());
        assertEquals(GntSt.OKAY, org.hvsim.hv.abi.gnttab.GnttabMapGrantRef.read(dom0.view, base + 64).status());
        assertEquals(2, dom0.table.mappings());
    }

    @Test
    void aGuestThatUnmapsItsTableFrameDoesNotFreeIt() {
        guest.grant(8, 0, 5, false);
        long gfn = guest.table.frameGfn(0);
        long mfn = guest.memory.lookup(gfn);
        long xenheap = guest.memory.xenheapPages();
        assertEquals(0, guest.memory.decreaseReservation(gfn, 0), "the guest gives up its table frame's GFN");
        assertEquals(Page.INVALID_FRAME, guest.memory.lookup(gfn));
        assertEquals(xenheap, guest.memory.xenheapPages(), "the frame is the hypervisor's to free");
        assertTrue(fx.invariants().isEmpty(), () -> fx.invariants().toString());
        long[] r = dom0.map(1, 8, RW);
        assertEquals(GntSt.OKAY, r[0], "the hypervisor still reads the entry in the frame");
        assertEquals(GntSt.OKAY, guest.setupTable(1));
        assertEquals(mfn, guest.memory.lookup(gfn), "setup_table maps the frame back");
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READING | Gtf.WRITING, guest.flags(8));
        assertEquals(GntSt.OKAY, dom0.unmap(r[1], r[2]));
    }
}
