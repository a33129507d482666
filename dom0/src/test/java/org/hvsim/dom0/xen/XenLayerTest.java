package org.hvsim.dom0.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dom0's hypercall library against a real (in-process) hypervisor. */
class XenLayerTest {
    private final InProcessDom0 dom0;
    private final Xc xc;

    XenLayerTest() throws Exception {
        dom0 = InProcessDom0.start(1, 256);
        xc = dom0.platform().xc();
    }

    @AfterEach
    void close() throws Exception {
        dom0.close();
    }

    private int newDomain(long memKb) {
        int domid = xc.createDomain(new byte[16], 1, 0, 0, 0);
        xc.setMaxMem(domid, memKb);
        return domid;
    }

    @Test
    void dom0SeesItsOwnStartInfoAndMemory() {
        Dom0Memory m = dom0.platform().memory();
        assertEquals(16L << 8, m.startInfo().nrPages());
        assertEquals(dom0.host().dom0().memory().lookup(5), m.mfnOf(5));
        long pfn = m.allocate(2);
        m.view().putLong(Page.addressOf(pfn) + 4090, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, dom0.host().dom0Memory().getLong(Page.addressOf(pfn) + 4090),
                "dom0's view and the hypervisor's agree, across a page boundary");
    }

    @Test
    void createPopulateMapAndDestroy() {
        int domid = newDomain(2048);
        long[] mfns = xc.populatePhysmap(domid, new long[] {0, 512}, 0);
        assertEquals(2, mfns.length);
        Domain d = dom0.host().hv().domains().find(domid);
        assertEquals(d.memory().lookup(512), mfns[1]);
        GetDomainInfo info = xc.getDomainInfo(domid);
        assertEquals(2, info.totPages());
        assertEquals(512, info.maxPages());
        try (ForeignMapping map = dom0.platform().foreign().map(domid, mfns, 0)) {
            map.memory().putLong(Page.SIZE + 8, 42);
            assertEquals(42, d.hypervisorView().getLong(Page.addressOf(512) + 8));
        }
        List<GetDomainInfo> all = xc.listDomains();
        assertEquals(List.of(0, domid), all.stream().map(GetDomainInfo::domain).toList());
        xc.destroyDomain(domid);
        TestHost.await(() -> dom0.host().hv().domains().find(domid) == null, 10_000, "reaping");
        assertEquals(List.of(), dom0.host().invariants());
    }

    @Test
    void aMappedFrameOutlivesItsDomainUntilUnmapped() {
        int domid = newDomain(1024);
        long[] mfns = xc.populatePhysmap(domid, new long[] {0}, 0);
        ForeignMapping map = dom0.platform().foreign().map(domid, mfns, 0);
        xc.destroyDomain(domid);
        map.memory().putLong(0, 7);
        assertTrue(dom0.host().hv().domains().find(domid) != null, "a zombie until dom0 unmaps");
        map.close();
        TestHost.await(() -> dom0.host().hv().domains().find(domid) == null, 10_000, "reaping after unmap");
        assertEquals(List.of(), dom0.host().invariants());
    }

    @Test
    void errorsCarryXensErrno() {
        XenError e = assertThrows(XenError.class, () -> xc.pauseDomain(999));
        assertEquals(Errno.ESRCH, e.errno());
        assertThrows(XenError.class, () -> dom0.platform().foreign().map(DomId.DOM0 + 999, new long[] {1}, 0));
    }

    @Test
    void eventsFromAGuestReachDom0Handlers() {
        int domid = newDomain(1024);
        EventChannelDevice ev = dom0.platform().events();
        int guestPort = ev.allocUnbound(domid, 0, "test");
        AtomicInteger seen = new AtomicInteger();
        int local = ev.bindInterdomain(domid, guestPort, "test", port -> seen.incrementAndGet());
        TestHost.await(() -> seen.get() == 1, 5_000, "bind_interdomain's pending edge");
        Domain d = dom0.host().hv().domains().find(domid);
        for (int i = 2; i <= 20; i++) {
            dom0.host().hv().evtchn().send(d, guestPort);
            int want = i;
            TestHost.await(() -> seen.get() >= want, 5_000, "event " + i);
        }
        ev.close(local);
    }

    @Test
    void hostInformation() {
        assertEquals(1, xc.physinfo().nrCpus());
        assertEquals((4 << 16) | 19, xc.xenVersion());
        assertTrue(xc.readConsole(false).contains("(XEN) hvsim"));
    }
}
