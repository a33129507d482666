package org.hvsim.tools.hvsim.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.proto.control.DestroyDomainRequest;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.proto.control.ListVcpusRequest;
import org.hvsim.proto.control.VcpuInfo;
import org.hvsim.tools.client.ControlPlane;

/**
 * Domain creation latency as a user of the control plane sees it: from sending {@code CreateDomain} (what
 * {@code xl create} sends) to the new guest's vCPU 0 having run on a pCPU (its run time, polled with
 * {@code ListVcpus} every 0.2 ms, is above zero). Each measured domain is destroyed afterwards (not timed), so the number
 * of running domains stays at the level being measured; the first samples warm the JVMs up and are dropped.
 */
public final class CreateLatency {
    /**
     * Samples taken and dropped before the measured ones: enough for dom0's and the hypervisor's JIT to
     * compile the creation path, so that the levels compare warmed-up hosts (with 20, the first level measured
     * a cold host at 2.5 times the p50 of the second).
     */
    static final int WARMUP = 300;
    /** How long one creation may take before the benchmark gives up. */
    static final long SAMPLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long CALL_DEADLINE_S = 60;
    /** Between two looks at the new domain's vCPU 0: the resolution of the measurement. */
    static final long POLL_INTERVAL_NS = 200_000;

    private final ControlPlane control;
    private int created;

    public CreateLatency(ControlPlane control) {
        this.control = control;
    }

    /** Tops the host up to {@code running} idle domains besides dom0 (created, not timed). */
    public void ensureRunning(int running) {
        int have = control.domains().withDeadlineAfter(CALL_DEADLINE_S, TimeUnit.SECONDS)
                .listDomains(ListDomainsRequest.getDefaultInstance()).getDomainsCount() - 1;
        for (int i = have; i < running; i++) {
            create(BenchDomains.idle("running-" + i));
        }
    }

    /** Measures {@code samples} creations; returns their latencies in nanoseconds. */
    public long[] measure(int samples) {
        for (int i = 0; i < WARMUP; i++) {
            sample();
        }
        long[] ns = new long[samples];
        for (int i = 0; i < samples; i++) {
            ns[i] = sample();
        }
        return ns;
    }

    private long sample() {
        DomainConfig config = BenchDomains.idle("sample-" + created);
        long t0 = System.nanoTime();
        int domid = create(config);
        awaitFirstRun(domid, t0);
        long t = System.nanoTime() - t0;
        control.domains().withDeadlineAfter(CALL_DEADLINE_S, TimeUnit.SECONDS)
                .destroyDomain(DestroyDomainRequest.newBuilder().setDomain(Integer.toString(domid)).build());
        return t;
    }

    /** Creates a domain from a configuration parsed beforehand, as xl parses its file before it calls. */
    private int create(DomainConfig config) {
        created++;
        return control.domains().withDeadlineAfter(CALL_DEADLINE_S, TimeUnit.SECONDS)
                .createDomain(CreateDomainRequest.newBuilder().setConfig(config).build()).getDomid();
    }

    private void awaitFirstRun(int domid, long t0) {
        ListVcpusRequest request = ListVcpusRequest.newBuilder().addDomains(Integer.toString(domid)).build();
        while (true) {
            for (VcpuInfo v : control.domains().withDeadlineAfter(CALL_DEADLINE_S, TimeUnit.SECONDS)
                    .listVcpus(request).getVcpusList()) {
                if (v.getVcpu() == 0 && (v.getCpuTimeNs() > 0 || v.getRunning())) {
                    return;
                }
            }
            if (System.nanoTime() - t0 > SAMPLE_TIMEOUT_NS) {
                throw new IllegalStateException("domain " + domid + "'s vCPU 0 did not run within "
                        + TimeUnit.NANOSECONDS.toSeconds(SAMPLE_TIMEOUT_NS) + " s of its creation");
            }
            // Not a busy poll: on a small machine the poller would take the CPU the new guest needs to start.
            LockSupport.parkNanos(POLL_INTERVAL_NS);
        }
    }
}
