package org.hvsim.hv.gnttab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.XenMem;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabQuerySize;
import org.hvsim.hv.abi.gnttab.GnttabSetupTable;
import org.hvsim.hv.abi.gnttab.Gtf;
import org.hvsim.hv.abi.memory.XenAddToPhysmap;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.DomainParams;
import org.hvsim.hv.domain.DomainTable;
import org.hvsim.hv.hypercall.HypercallContext;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** grant_table_op and XENMAPSPACE_grant_table through the hypervisor's hypercall table, and createdomain's grant limits. */
class GrantTableHypercallTest {
    private final TestHost host;

    GrantTableHypercallTest() throws Exception {
        host = TestHost.start(1, 64);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    private Domain create(int maxGrantFrames, int maxMaptrackFrames) throws DomainTable.DomainCreateException {
        return host.hv().domains().createGuest(new DomainParams(0, new byte[16], 0, 1, 0, maxGrantFrames,
                maxMaptrackFrames, false, false), host.machine().frames());
    }

    @Test
    void createdomainTakesXensLimitsAndDefaults() throws Exception {
        assertEquals(-Errno.EINVAL, assertThrows(DomainTable.DomainCreateException.class, () -> create(65, 0)).errno());
        assertEquals(-Errno.EINVAL, assertThrows(DomainTable.DomainCreateException.class, () -> create(0, 1025)).errno());
        Domain d = create(0, -1);
        assertEquals(GrantTable.HV_MAX_GRANT_FRAMES, d.grantTable().maxFrames());
        assertEquals(4, create(4, 8).grantTable().maxFrames());
    }

    @Test
    void guestsAndDom0ReachTheirTablesThroughTheHypercallTable() throws Exception {
        Domain d = create(3, 0);
        d.memory().setMaxPages(1);
        d.memory().populatePhysmap(0, 0);
        new GnttabQuerySize(DomId.SELF, 0, 0, 99).write(d.hypervisorView(), 0);
        assertEquals(0, host.hv().hypercalls().dispatch(new HypercallContext(d, d.vcpu(0)), HypercallNr.GRANT_TABLE_OP,
                GntTabOp.QUERY_SIZE, 0, 1, 0, 0));
        assertEquals(new GnttabQuerySize(DomId.SELF, 0, 3, GntSt.OKAY), GnttabQuerySize.read(d.hypervisorView(), 0));

        long arg = Page.addressOf(100);
        new GnttabQuerySize(d.domid(), 0, 0, 99).write(host.dom0Memory(), arg);
        assertEquals(0, host.dom0Hypercall(0, HypercallNr.GRANT_TABLE_OP, GntTabOp.QUERY_SIZE, arg, 1, 0, 0));
        assertEquals(new GnttabQuerySize(d.domid(), 0, 3, GntSt.OKAY), GnttabQuerySize.read(host.dom0Memory(), arg));
        assertEquals(-Errno.ENOSYS, host.dom0Hypercall(0, HypercallNr.GRANT_TABLE_OP, GntTabOp.DUMP_TABLE, arg, 1, 0, 0));
        assertEquals(3, host.hv().hypercalls().calls(HypercallNr.GRANT_TABLE_OP));
    }

    @Test
    void aDestroyedDomainWithATableIsReaped() throws Exception {
        Domain d = create(2, 1);
        assertEquals(GntSt.OKAY, d.grantTable().grow(2));
        d.kill();
        TestHost.await(() -> host.hv().domains().find(d.domid()) == null, 10_000, "the domain to be reaped");
        assertEquals(List.of(), host.invariants());
    }

    @Test
    void anAutoTranslatedGuestPlacesItsTableFramesWithAddToPhysmap() throws Exception {
        Domain d = create(4, 0);
        d.memory().setMaxPages(2);
        d.memory().populatePhysmap(0, 0);
        d.memory().populatePhysmap(1, 0);
        HypercallContext ctx = new HypercallContext(d, d.vcpu(0));
        GuestMemory m = d.hypervisorView();
        // Frame 2 at gfn 1 (over RAM, which the guest gives up): the table grows to 3 frames.
        new XenAddToPhysmap(DomId.SELF, 0, XenAddToPhysmap.SPACE_GRANT_TABLE,
                2, 1).writeTo(m, 0);
        assertEquals(0, host.hv().hypercalls().dispatch(ctx, HypercallNr.MEMORY_OP, XenMem.ADD_TO_PHYSMAP,
                0, 0, 0, 0));
        assertEquals(3, d.grantTable().nrFrames());
        assertEquals(1, d.memory().totPages(), "the RAM page at gfn 1 was released");
        new GnttabSetupTable(DomId.SELF, 3, 99, 64).write(m, 0);
        assertEquals(0, host.hv().hypercalls().dispatch(ctx, HypercallNr.GRANT_TABLE_OP, GntTabOp.SETUP_TABLE, 0, 1, 0, 0));
        assertEquals(GntSt.OKAY, m.getShort(GnttabSetupTable.STATUS));
        assertEquals(d.grantTable().frameGfn(0), m.getLong(64));
        assertEquals(1, m.getLong(64 + 16), "setup_table reports where the guest put frame 2");
        // Entries written at gfn 1 are the table's.
        m.putInt(Page.addressOf(1) + 8 * 3 + 4, 0);
        m.putShort(Page.addressOf(1) + 8 * 3 + 2, (short) 0);
        m.putShortRelease(Page.addressOf(1) + 8 * 3, (short) Gtf.PERMIT_ACCESS);
        assertEquals(Gtf.PERMIT_ACCESS, d.grantTable().entry(2 * 512 + 3).flags());

        new XenAddToPhysmap(DomId.SELF, 0, XenAddToPhysmap.SPACE_GRANT_TABLE,
                4, 1).writeTo(m, 0);
        assertEquals(-Errno.EINVAL, host.hv().hypercalls().dispatch(ctx, HypercallNr.MEMORY_OP,
                XenMem.ADD_TO_PHYSMAP, 0, 0, 0, 0), "max_grant_frames is 4");
        d.kill();
        TestHost.await(() -> host.hv().domains().find(d.domid()) == null, 10_000, "the domain to be reaped");
        assertEquals(List.of(), host.invariants());
    }
}
