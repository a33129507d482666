package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.hvsim.bench.SchedBench;
import org.hvsim.tools.hvsim.bench.WeightShares;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hvsim bench-sched [--weights W,W,...] [--seconds S] [--warmup-ms MS] [--period-us P] [--samples N]
 * [--reports R] [--burners B] [--cpus N] [--memory SIZE]}: starts a credit host in a temporary HVSIM_HOME and
 * prints, in one run, how CPU-bound domains of the given weights share it (each one's share against what its
 * weight entitles it to), then the wake latency of a guest that blocks and wakes every P µs, alone and next to
 * B CPU burners; stops the host.
 */
@Command(name = "bench-sched", description = "Measure the credit scheduler's weight shares and wake latency on a fresh host")
final class SchedBenchCommand extends HvsimSubcommand {
    /** The share error the issue aims for, percentage points of the host. */
    static final double SHARE_TARGET_POINTS = 3.0;
    /** The wake latency p99 the issue aims for, µs. */
    static final double P99_TARGET_US = 1000;

    @Option(names = "--weights", split = ",", paramLabel = "W[,W...]", defaultValue = "256,256,512,1024",
            description = "cpu_weight of each CPU burner in the share test (default ${DEFAULT-VALUE}).")
    List<Integer> weights;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "The share test's measured window (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "2000",
            description = "Time the burners run before the window opens (default ${DEFAULT-VALUE}).")
    long warmupMs;

    @Option(names = "--period-us", paramLabel = "P", defaultValue = "1000",
            description = "The I/O guest's wake period (default ${DEFAULT-VALUE}).")
    long periodUs;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000",
            description = "Wakes per latency report (default ${DEFAULT-VALUE}).")
    long samples;

    @Option(names = "--reports", paramLabel = "R", defaultValue = "5",
            description = "Latency reports in each phase, after one of warm-up (default ${DEFAULT-VALUE}).")
    int reports;

    @Option(names = "--burners", paramLabel = "B", defaultValue = "2",
            description = "CPU burners next to the I/O guest (default ${DEFAULT-VALUE}).")
    int burners;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "1G",
            description = "The host's machine memory (default ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "2",
            description = "The host's pCPUs (default ${DEFAULT-VALUE}).")
    int cpus;

    SchedBenchCommand(HvsimEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws HvsimFailure, IOException {
        if (weights.isEmpty() || weights.stream().anyMatch(w -> w < 1 || w > 65535) || seconds < 1 || warmupMs < 0
                || periodUs < 10 || periodUs > 10_000_000 || samples < 1 || samples > 1_000_000 || reports < 1
                || burners < 0 || cpus < 1) {
            throw new HvsimFailure("--weights must be 1..65535 each, --seconds, --samples (up to 1000000), --reports "
                    + "and --cpus at least 1, --period-us 10..10000000, --warmup-ms and --burners at least 0", 2);
        }
        return BenchHost.run(env, memory, cpus, List.of("--sched", "credit"), this::measure);
    }

    private void measure(ControlPlane control, HvsimHome home) throws IOException {
        env.out().printf("hvsim bench-sched: %d pCPUs, credit scheduler, JDK %s, %s, load average %s%n", cpus,
                Runtime.version(), System.getProperty("os.name"), LoadAverage.read());
        env.out().flush();
        SchedBench bench = new SchedBench(control, home);
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        SchedBench.Shares s = bench.shares(w, cpus, TimeUnit.MILLISECONDS.toNanos(warmupMs),
                TimeUnit.SECONDS.toNanos(seconds));
        printShares(s);
        List<List<SchedBench.Latency>> phases = bench.wakeLatency(periodUs, samples, reports, burners);
        printLatency("alone", phases.get(0));
        printLatency("next to " + burners + " CPU burner" + (burners == 1 ? "" : "s"), phases.get(1));
    }

    private void printShares(SchedBench.Shares s) {
        double windowS = s.windowNs() / 1e9;
        long total = s.rows().stream().mapToLong(WeightShares.Row::cpuNs).sum();
        env.out().printf("%d cpuburn domains, weights %s, one vCPU each, measured for %.2f s after %d ms of warm-up "
                + "(the burners used %.1f%% of the host)%n", s.rows().size(), weights, windowS, warmupMs,
                100.0 * total / (s.windowNs() * (double) cpus));
        env.out().printf("  %-8s %10s %12s %12s %12s %12s%n", "weight", "CPU s", "% of a pCPU", "share %",
                "entitled %", "error pp");
        for (WeightShares.Row r : s.rows()) {
            env.out().printf("  %-8d %10.3f %12.1f %12.2f %12.2f %12.2f%n", r.weight(), r.cpuNs() / 1e9,
                    100.0 * r.cpuNs() / s.windowNs(), 100 * r.share(), 100 * r.entitled(), r.errorPoints());
        }
        double max = WeightShares.maxErrorPoints(s.rows());
        env.out().printf("  share error, max over the domains: %.2f percentage points of the host (target <= %.0f): %s%n",
                max, SHARE_TARGET_POINTS, max <= SHARE_TARGET_POINTS ? "met" : "NOT met");
        env.out().flush();
    }

    private void printLatency(String phase, List<SchedBench.Latency> reports) {
        env.out().printf("wake latency, iolat every %d us, %s (%d reports of %d wakes after one of warm-up):%n", periodUs,
                phase, reports.size(), samples);
        double worstP99 = 0;
        for (SchedBench.Latency l : reports) {
            env.out().printf("  %d wakes: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us%n", l.wakes(), l.p50Us(),
                    l.p99Us(), l.p999Us(), l.maxUs());
            worstP99 = Math.max(worstP99, l.p99Us());
        }
        env.out().printf("  worst p99: %.1f us (target <= %.0f us): %s%n", worstP99, P99_TARGET_US,
                worstP99 <= P99_TARGET_US ? "met" : "NOT met");
        env.out().flush();
    }
}
