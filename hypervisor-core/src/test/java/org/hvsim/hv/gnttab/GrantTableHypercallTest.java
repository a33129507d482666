package org.hvsim.hv.gnttab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabQuerySize;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.DomainParams;
import org.hvsim.hv.domain.DomainTable;
import org.hvsim.hv.hypercall.HypercallContext;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** grant_table_op through the hypervisor's hypercall table, and createdomain's grant limits. */
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
        assertEquals(java.util.List.of(), host.invariants());
    }
}
