package org.hvsim.hv.evtchn;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;

/**
 * A real in-process domain for event channel tests: a heap shared_info page, and counters of the
 * vCPU kicks and poller checks the hypervisor makes. Threads: any (counters are atomic).
 */
final class TestDomain implements EvtchnDomain {
    final int domid;
    final boolean privileged;
    final int maxVcpus;
    volatile boolean dying;
    volatile boolean controllerPaused;
    final SegmentGuestMemory sharedInfo = SegmentGuestMemory.allocate(Page.SIZE);
    final EventChannels table;
    final AtomicIntegerArray kicks;
    final LongAdder pollerChecks = new LongAdder();

    TestDomain(int domid, boolean privileged, int maxVcpus, int maxPort) {
        this.domid = domid;
        this.privileged = privileged;
        this.maxVcpus = maxVcpus;
        this.kicks = new AtomicIntegerArray(maxVcpus);
        this.table = new EventChannels(this, maxPort);
    }

    @Override public int domid() { return domid; }
    @Override public boolean isPrivileged() { return privileged; }
    @Override public boolean isDying() { return dying; }
    @Override public boolean isControllerPaused() { return controllerPaused; }
    @Override public int maxVcpus() { return maxVcpus; }
    @Override public SegmentGuestMemory sharedInfo() { return sharedInfo; }
    @Override public EventChannels eventChannels() { return table; }
    @Override public void vcpuKick(int vcpu) { kicks.incrementAndGet(vcpu); }
    @Override public void checkPollers(int port) { pollerChecks.increment(); }

    int kicks(int vcpu) {
        return kicks.get(vcpu);
    }

    @Override
    public String toString() {
        return "d" + domid;
    }
}
