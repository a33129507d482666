package org.hvsim.dom0.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabCopy;
import org.hvsim.hv.abi.gnttab.GnttabQuerySize;
import org.hvsim.hv.abi.gnttab.GnttabSetupTable;
import org.hvsim.hv.abi.gnttab.GrantEntryV1;
import org.hvsim.hv.abi.gnttab.Gtf;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.hypercall.HypercallContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dom0's grant calls (Xc) and its persistent mapping cache against an in-process hypervisor. */
class GrantMappingsTest {
    private final InProcessDom0 dom0;
    private final Xc xc;
    private final Domain guest;
    private final GuestMemory gm;

    GrantMappingsTest() throws Exception {
        dom0 = InProcessDom0.start(1, 256);
        xc = dom0.platform().xc();
        int domid = xc.createDomain(new byte[16], 1, 0, 0, 0);
        xc.setMaxMem(domid, 64);
        long[] gpfns = new long[16];
        for (int i = 0; i < gpfns.length; i++) {
            gpfns[i] = i;
        }
        xc.populatePhysmap(domid, gpfns, 0);
        guest = dom0.host().hv().domains().find(domid);
        gm = guest.hypervisorView();
        // The guest sets up a one-frame table, as its grant driver would.
        new GnttabSetupTable(DomId.SELF, 1, 99, 64).write(gm, 0);
        assertEquals(0, dom0.host().hv().hypercalls().dispatch(new HypercallContext(guest, guest.vcpu(0)),
                HypercallNr.GRANT_TABLE_OP, GntTabOp.SETUP_TABLE, 0, 1, 0, 0));
        assertEquals(GntSt.OKAY, gm.getShort(GnttabSetupTable.STATUS));
    }

    @AfterEach
    void close() throws Exception {
        dom0.close();
    }

    private long entry(int ref) {
        return Page.addressOf(gm.getLong(64)) + (long) ref * GrantEntryV1.SIZE;
    }

    private void grant(int ref, long gfn, boolean readonly) {
        gm.putShort(entry(ref) + GrantEntryV1.DOMID, (short) 0);
        gm.putInt(entry(ref) + GrantEntryV1.FRAME, (int) gfn);
        gm.putShortRelease(entry(ref), (short) (Gtf.PERMIT_ACCESS | (readonly ? Gtf.READONLY : 0)));
    }

    @Test
    void querySizeOfAGuestsTable() {
        GnttabQuerySize q = xc.grantQuerySize(guest.domid());
        assertEquals(1, q.nrFrames());
        assertEquals(64, q.maxNrFrames(), "createdomain's 0 asks for the hypervisor default");
    }

    @Test
    void aPageIsMappedOnceAndReadAndWrittenInPlace() {
        gm.putLong(Page.addressOf(5) + 24, 0xCAFEL);
        grant(8, 5, false);
        try (GrantMappings maps = new GrantMappings(xc, dom0.platform().machine())) {
            GuestMemory page = maps.map(guest.domid(), 8, false);
            assertEquals(0xCAFEL, page.getLong(24));
            page.putLong(32, 0xBEEFL);
            assertEquals(0xBEEFL, gm.getLong(Page.addressOf(5) + 32));
            assertEquals(Gtf.PERMIT_ACCESS | Gtf.READING | Gtf.WRITING, gm.getShort(entry(8)));
            for (int i = 0; i < 100; i++) {
                assertSame(page, maps.map(guest.domid(), 8, false), "steady state: no remapping");
            }
            assertEquals(1, maps.hypercalls());
            assertEquals(1, maps.unmapAll(guest.domid()));
            assertEquals(0, maps.size());
            assertEquals(Gtf.PERMIT_ACCESS, gm.getShort(entry(8)));
        }
    }

    @Test
    void aReadonlyMappingRefusesWrites() {
        grant(9, 6, true);
        try (GrantMappings maps = new GrantMappings(xc, dom0.platform().machine())) {
            GrantError e = assertThrows(GrantError.class, () -> maps.map(guest.domid(), 9, false));
            assertEquals(GntSt.GENERAL_ERROR, e.status());
            GuestMemory page = maps.map(guest.domid(), 9, true);
            assertEquals(0, page.getLong(0));
            assertThrows(RuntimeException.class, () -> page.putLong(0, 1));
            assertEquals(Gtf.PERMIT_ACCESS | Gtf.READONLY | Gtf.READING, gm.getShort(entry(9)));
        }
        assertEquals(Gtf.PERMIT_ACCESS | Gtf.READONLY, gm.getShort(entry(9)), "close unmaps everything");
    }

    @Test
    void badRefsAndHandlesSayWhatIsWrong() {
        GrantError e = assertThrows(GrantError.class, () -> xc.mapGrantRef(guest.domid(), 4096, true));
        assertEquals(GntSt.BAD_GNTREF, e.status());
        assertTrue(e.getMessage().contains("invalid grant reference"), e.getMessage());
        e = assertThrows(GrantError.class, () -> xc.unmapGrantRef(new GrantMap(guest.domid(), 8, true, 77, 0)));
        assertEquals(GntSt.BAD_HANDLE, e.status());
        e = assertThrows(GrantError.class, () -> xc.mapGrantRef(999, 8, true));
        assertEquals(GntSt.BAD_DOMAIN, e.status());
    }

    @Test
    void copyFromAndToAGrantWithoutMapping() {
        gm.write(Page.addressOf(7) + 100, new byte[] {1, 2, 3, 4});
        grant(10, 7, false);
        Dom0Memory mem = dom0.platform().memory();
        long pfn = mem.allocate(1);
        int[] st = xc.grantCopy(List.of(
                new GnttabCopy(new GnttabCopy.Ptr(10, guest.domid(), 100), new GnttabCopy.Ptr(pfn, DomId.SELF, 0), 4,
                        GntTabOp.GNTCOPY_SOURCE_GREF, 0),
                new GnttabCopy(new GnttabCopy.Ptr(pfn, DomId.SELF, 0), new GnttabCopy.Ptr(10, guest.domid(), 200), 4,
                        GntTabOp.GNTCOPY_DEST_GREF, 0),
                new GnttabCopy(new GnttabCopy.Ptr(10, guest.domid(), 4094), new GnttabCopy.Ptr(pfn, DomId.SELF, 0), 4,
                        GntTabOp.GNTCOPY_SOURCE_GREF, 0)));
        assertEquals(List.of(GntSt.OKAY, GntSt.OKAY, GntSt.BAD_COPY_ARG), java.util.Arrays.stream(st).boxed().toList());
        assertEquals(0x04030201, mem.view().getInt(Page.addressOf(pfn)));
        assertEquals(0x04030201, gm.getInt(Page.addressOf(7) + 200));
        assertEquals(Gtf.PERMIT_ACCESS, gm.getShort(entry(10)));
        mem.free(pfn, 1);
    }

    @Test
    void aDestroyedGuestsMappedPageStaysUntilDom0UnmapsIt() {
        gm.putLong(Page.addressOf(5), 0x5151L);
        grant(8, 5, false);
        GrantMappings maps = new GrantMappings(xc, dom0.platform().machine());
        GuestMemory page = maps.map(guest.domid(), 8, false);
        xc.destroyDomain(guest.domid());
        assertEquals(0x5151L, page.getLong(0), "not scrubbed while mapped");
        assertNotEquals(null, dom0.host().hv().domains().find(guest.domid()), "a dying domain with mapped pages lingers");
        maps.unmapAll(guest.domid());
        org.hvsim.hv.testing.TestHost.await(() -> dom0.host().hv().domains().find(guest.domid()) == null, 10_000,
                "the guest to be reaped after the unmap");
        assertTrue(dom0.host().invariants().isEmpty(), () -> dom0.host().invariants().toString());
    }

    @Test
    void manyCopiesGoInBufferSizedCalls() {
        grant(11, 7, true);
        Dom0Memory mem = dom0.platform().memory();
        long pfn = mem.allocate(1);
        int n = 2000; // more than one 64 KiB hypercall buffer holds (1638 copies)
        List<GnttabCopy> ops = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(new GnttabCopy(new GnttabCopy.Ptr(11, guest.domid(), i % 4000), new GnttabCopy.Ptr(pfn, DomId.SELF,
                    i % 4000), 8, GntTabOp.GNTCOPY_SOURCE_GREF, 0));
        }
        long before = dom0.host().hv().hypercalls().calls(HypercallNr.GRANT_TABLE_OP);
        int[] st = xc.grantCopy(ops);
        assertEquals(2, dom0.host().hv().hypercalls().calls(HypercallNr.GRANT_TABLE_OP) - before);
        assertTrue(java.util.Arrays.stream(st).allMatch(x -> x == GntSt.OKAY));
        mem.free(pfn, 1);
    }
}
