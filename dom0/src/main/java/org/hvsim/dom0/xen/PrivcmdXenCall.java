package org.hvsim.dom0.xen;

import java.util.concurrent.CompletableFuture;
import org.hvsim.dom0.privcmd.PrivcmdClient;

/**
 * Hypercalls over the privcmd channel. Each calling thread is one of dom0's vCPUs (spread by thread
 * id), as Linux's privcmd issues a hypercall on whichever CPU the calling task runs. Thread-safe.
 */
public final class PrivcmdXenCall implements XenCall {
    private final PrivcmdClient client;
    private final int nrVcpus;

    public PrivcmdXenCall(PrivcmdClient client) {
        this.client = client;
        this.nrVcpus = client.welcome().getNrVcpus();
    }

    @Override
    public long hypercall(int op, long a1, long a2, long a3, long a4, long a5) {
        return client.hypercall(vcpu(), op, a1, a2, a3, a4, a5);
    }

    /** Sent without waiting; the result completes the future on the channel's event loop. */
    @Override
    public CompletableFuture<Long> hypercallAsync(int op, long a1, long a2) {
        return client.hypercallAsync(vcpu(), op, a1, a2);
    }

    private int vcpu() {
        return (int) Long.remainderUnsigned(Thread.currentThread().threadId(), nrVcpus);
    }
}
