package org.hvsim.tools.hvsim.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.proto.control.DestroyDomainRequest;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.HvsimHome;

/**
 * The scheduler on a live host, with real vCPU threads: (1) CPU-bound {@code cpuburn} domains of given
 * weights run together, and each one's CPU time ({@code ListDomains}' {@code cpu_time_ns}, sampled after
 * a warm-up and at the end of the window) is compared with what its weight entitles it to
 * ({@link WeightShares}); (2) an {@code iolat} guest's wake latency, as it reports it on its console,
 * alone and next to CPU burners. Threads: the command's.
 */
public final class SchedBench {
    /** What iolat prints. */
    static final Pattern REPORT = Pattern.compile("iolat: report (\\d+): (\\d+) wakes: p50 (\\d+\\.\\d) us, "
            + "p99 (\\d+\\.\\d) us, p99\\.9 (\\d+\\.\\d) us, max (\\d+\\.\\d) us");
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(2);

    /** The share measurement: the window's wall time and a row per domain, in the order of the weights. */
    public record Shares(long windowNs, List<WeightShares.Row> rows) {
    }

    /** One iolat report: wakes, and percentiles in microseconds. */
    public record Latency(int wakes, double p50Us, double p99Us, double p999Us, double maxUs) {
        static Latency of(MatchResult m) {
            return new Latency(Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)));
        }
    }

    private final ControlPlane control;
    private final HvsimHome home;

    public SchedBench(ControlPlane control, HvsimHome home) {
        this.control = control;
        this.home = home;
    }

    /**
     * Runs a single-vCPU burner per weight on {@code pcpus} pCPUs, measures each one's CPU time over
     * {@code windowNs} after {@code warmupNs}, and destroys them.
     */
    public Shares shares(int[] weights, int pcpus, long warmupNs, long windowNs) {
        String[] names = new String[weights.length];
        for (int i = 0; i < weights.length; i++) {
            names[i] = "burn" + (i + 1) + "-w" + weights[i];
            create(BenchDomains.burner(names[i], weights[i]));
        }
        try {
            LockSupport.parkNanos(warmupNs);
            long t0 = System.nanoTime();
            Map<String, Long> before = cpuTimes();
            LockSupport.parkNanos(windowNs);
            Map<String, Long> after = cpuTimes();
            long window = System.nanoTime() - t0;
            long[] cpu = new long[weights.length];
            int[] vcpus = new int[weights.length];
            for (int i = 0; i < weights.length; i++) {
                cpu[i] = after.getOrDefault(names[i], 0L) - before.getOrDefault(names[i], 0L);
                vcpus[i] = 1;
            }
            return new Shares(window, WeightShares.rows(weights, vcpus, pcpus, cpu));
        } finally {
            for (String name : names) {
                destroy(name);
            }
        }
    }

    /**
     * An iolat guest waking every {@code periodUs} and reporting every {@code samples} wakes: {@code reports}
     * reports alone, then {@code reports} more next to {@code burners} default-weight burners, each phase
     * after a report of warm-up; everything is destroyed after.
     */
    public List<List<Latency>> wakeLatency(long periodUs, long samples, int reports, int burners) throws IOException {
        String name = "iolat";
        create(BenchDomains.ioLatency(name, periodUs, samples));
        String[] burnerNames = new String[burners];
        try {
            ConsoleRounds lines = new ConsoleRounds(consoleLog(name), REPORT);
            List<Latency> alone = latencies(lines.nextMatches(reports + 1, TIMEOUT_NS));
            for (int i = 0; i < burners; i++) {
                burnerNames[i] = "iolat-burn" + (i + 1);
                create(BenchDomains.burner(burnerNames[i], 0));
            }
            List<Latency> contended = latencies(lines.nextMatches(reports + 1, TIMEOUT_NS));
            return List.of(alone, contended);
        } finally {
            destroy(name);
            for (String b : burnerNames) {
                if (b != null) {
                    destroy(b);
                }
            }
        }
    }

    /** The reports after the first (the warm-up). */
    private static List<Latency> latencies(List<MatchResult> matches) {
        return matches.subList(1, matches.size()).stream().map(Latency::of).toList();
    }

    private Map<String, Long> cpuTimes() {
        Map<String, Long> times = new HashMap<>();
        for (DomainInfo d : control.domains().withDeadlineAfter(10, TimeUnit.SECONDS)
                .listDomains(ListDomainsRequest.getDefaultInstance()).getDomainsList()) {
            times.put(d.getName(), d.getCpuTimeNs());
        }
        return times;
    }

    private void create(org.hvsim.proto.control.DomainConfig config) {
        control.domains().withDeadlineAfter(60, TimeUnit.SECONDS)
                .createDomain(CreateDomainRequest.newBuilder().setConfig(config).build());
    }

    private void destroy(String name) {
        control.domains().withDeadlineAfter(60, TimeUnit.SECONDS)
                .destroyDomain(DestroyDomainRequest.newBuilder().setDomain(name).build());
    }

    private Path consoleLog(String name) {
        return home.logDir().resolve("console").resolve("guest-" + name + ".log");
    }
}
