package org.hvsim.hv.evtchn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;

/** A machine of {@link TestDomain}s with one {@link EventChannelManager} and its hypercall handler. */
final class TestHost implements DomainLookup {
    private final Map<Integer, TestDomain> domains = new ConcurrentHashMap<>();
    final EventChannelManager evtchn = new EventChannelManager(this);
    final EventChannelOps ops = new EventChannelOps(evtchn);

    /** dom0: privileged, 4 vCPUs, the default port limit. */
    TestDomain dom0() {
        return domains.computeIfAbsent(0, id -> new TestDomain(0, true, 4, EvtchnOp.DEFAULT_MAX_PORT));
    }

    /** An unprivileged domain with 4 vCPUs and the default port limit. */
    TestDomain domU(int domid) {
        return add(new TestDomain(domid, false, 4, EvtchnOp.DEFAULT_MAX_PORT));
    }

    TestDomain add(TestDomain d) {
        if (domains.putIfAbsent(d.domid, d) != null) {
            throw new IllegalStateException("d" + d.domid + " exists");
        }
        return d;
    }

    void remove(TestDomain d) {
        domains.remove(d.domid, d);
    }

    @Override
    public EvtchnDomain find(int domid) {
        return domains.get(domid);
    }

    /** The guest's view of its own shared_info, as its kernel would scan it (mapped at 0). */
    static TwoLevelEventScan guestView(TestDomain d) {
        return new TwoLevelEventScan(d.sharedInfo, 0);
    }

    /** A page of guest memory for hypercall arguments. */
    static SegmentGuestMemory argPage() {
        return SegmentGuestMemory.allocate(4096);
    }
}
