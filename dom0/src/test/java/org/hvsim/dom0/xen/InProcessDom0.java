package org.hvsim.dom0.xen;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.hvsim.hv.boot.Dom0RunstateInspection;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.sched.RoundRobinPolicy;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;

/**
 * dom0's side of the machine over an in-process hypervisor ({@link TestHost}): hypercalls are made
 * directly as dom0's vCPU 0, and upcalls reach the event channel device on their own thread, coalesced
 * per vCPU, as the privcmd channel delivers them.
 */
public final class InProcessDom0 implements AutoCloseable {
    private final TestHost host;
    private volatile Dom0Platform platform;
    private final ExecutorService upcalls = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("upcalls").factory());
    private final AtomicIntegerArray queued;

    private InProcessDom0(TestHost host) throws Exception {
        this.host = host;
        Domain d0 = host.dom0();
        this.platform = Dom0Platform.open(host.dom0Info().welcome(host.machine(), 1),
                (op, a1, a2, a3, a4, a5) -> host.dom0Hypercall(0, op, a1, a2, a3, a4, a5),
                new InProcessEvtchnIntrospection(host.hv()), inProcessRunstates(host));
        this.queued = new AtomicIntegerArray(d0.maxVcpus());
        d0.setKicker(vcpu -> {
            if (queued.compareAndSet(vcpu, 0, 1)) {
                upcalls.execute(() -> {
                    queued.set(vcpu, 0);
                    platform.events().upcall(vcpu);
                });
            }
        });
    }

    /** Runstate queries straight into the in-process hypervisor's own answer. */
    static RunstateIntrospection inProcessRunstates(TestHost host) {
        Dom0RunstateInspection hv = new Dom0RunstateInspection(host.hv().domains(), host.hv().clock());
        return domid -> CompletableFuture.completedFuture(
                hv.query(VcpuRunstateQuery.newBuilder().setDomid(domid).build()));
    }

    public static InProcessDom0 start(int pcpus, int machineMiB) throws Exception {
        return start(pcpus, machineMiB, new RoundRobinPolicy());
    }

    /** The same, with the hypervisor scheduling by {@code policy}. */
    public static InProcessDom0 start(int pcpus, int machineMiB, SchedulerPolicy policy) throws Exception {
        TestHost host = TestHost.start(pcpus, machineMiB, policy);
        try {
            return new InProcessDom0(host);
        } catch (Exception | Error e) {
            host.close();
            throw e;
        }
    }

    public TestHost host() {
        return host;
    }

    public Dom0Platform platform() {
        return platform;
    }

    /**
     * A new dom0 "process": a fresh platform over the same hypervisor, as after the dom0 process was
     * killed and restarted (the old platform is dropped without any cleanup, as a killed process would).
     */
    public Dom0Platform restartDom0() throws Exception {
        platform = Dom0Platform.open(host.dom0Info().welcome(host.machine(), 2),
                (op, a1, a2, a3, a4, a5) -> host.dom0Hypercall(0, op, a1, a2, a3, a4, a5),
                new InProcessEvtchnIntrospection(host.hv()), inProcessRunstates(host));
        return platform;
    }

    @Override
    public void close() throws Exception {
        try {
            host.destroyGuests();
        } finally {
            upcalls.shutdownNow();
            platform.close();
            host.close();
        }
    }
}
