package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.util.List;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.hvsim.bench.CreateLatency;
import org.hvsim.tools.hvsim.bench.NullHypercall;
import org.hvsim.tools.hvsim.bench.Percentiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hvsim bench [--running 10,1000] [--samples N] [--calls N] [--memory SIZE] [--cpus N]}: starts a host
 * in a temporary HVSIM_HOME and prints, in one run, domain creation latency (p50, p99) with each given number of
 * domains already running and their p50 ratio, then the cost of a null hypercall from a guest; stops the host.
 */
@Command(name = "bench", description = "Measure domain creation latency and the null hypercall on a fresh host")
final class BenchCommand extends HvsimSubcommand {
    @Option(names = "--running", split = ",", paramLabel = "N[,N...]", defaultValue = "10,1000",
            description = "Running domains to measure creation at (default ${DEFAULT-VALUE}).")
    List<Integer> running;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "200",
            description = "Creations measured at each level (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--calls", paramLabel = "N", defaultValue = "10000000",
            description = "Null hypercalls the guest makes (default ${DEFAULT-VALUE}).")
    long calls;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "16G",
            description = "The host's machine memory (default ${DEFAULT-VALUE}; a sparse file).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "The host's pCPUs (default: this machine's processors).")
    Integer cpus;

    BenchCommand(HvsimEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws HvsimFailure, IOException {
        if (samples < 1 || running.stream().anyMatch(n -> n < 0) || calls < 10) {
            throw new HvsimFailure("--samples must be at least 1, --running at least 0, --calls at least 10", 2);
        }
        int nrCpus = cpus == null ? Runtime.getRuntime().availableProcessors() : cpus;
        return BenchHost.run(env, memory, nrCpus, this::measure);
    }

    private void measure(ControlPlane control, HvsimHome home) throws IOException {
        env.out().printf("hvsim bench: %d pCPUs, %s machine memory, JDK %s, %s%n", cpus == null
                ? Runtime.getRuntime().availableProcessors() : cpus, memory, Runtime.version(), System.getProperty("os.name"));
        env.out().printf("%-34s %10s %10s %10s %10s%n", "domain create -> vCPU 0 running", "samples", "p50 ms", "p99 ms",
                "max ms");
        CreateLatency latency = new CreateLatency(control);
        long firstP50 = -1;
        for (int level : running.stream().sorted().toList()) {
            latency.ensureRunning(level);
            Percentiles p = new Percentiles(latency.measure(samples));
            env.out().printf("%-34s %10d %10s %10s %10s%n", "  with " + level + " domains running", p.count(),
                    Percentiles.millis(p.percentile(50)), Percentiles.millis(p.percentile(99)),
                    Percentiles.millis(p.max()));
            env.out().flush();
            if (firstP50 < 0) {
                firstP50 = p.percentile(50);
            } else {
                env.out().printf("  p50 ratio to the first level: %d.%02d%n", p.percentile(50) / firstP50,
                        p.percentile(50) * 100 / firstP50 % 100);
            }
        }
        NullHypercall.Result hc = NullHypercall.run(control, home, "hcbench", calls);
        env.out().printf("null hypercall (xen_version from a domU, %d calls): mean %s ns, best round %s ns%n",
                hc.calls(), hc.meanNs(), hc.bestRoundNs());
        env.out().flush();
    }
}
