package org.hvsim.tools.hvsim;

import java.io.IOException;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.hvsim.bench.EvtchnBench;
import org.hvsim.tools.hvsim.bench.Percentiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hvsim bench-evtchn [--ports N] [--list-calls N] [--sends N] [--pairs N] [--rounds N] [--memory SIZE]
 * [--cpus N]}: starts a host in a temporary HVSIM_HOME and prints, in one run, the time of ListEventChannels for a
 * guest with N bound ports, and that guest's send throughput without and with an event channel watcher
 * attached (alternating), with the watcher's cost; stops the host.
 */
@Command(name = "bench-evtchn", description = "Measure event channel listing and the cost of a watcher on a fresh host")
final class EvtchnBenchCommand extends HvsimSubcommand {
    @Option(names = "--ports", paramLabel = "N", defaultValue = "1000",
            description = "Extra ports the guest binds (default ${DEFAULT-VALUE}).")
    int ports;

    @Option(names = "--list-calls", paramLabel = "N", defaultValue = "1000",
            description = "ListEventChannels calls timed (default ${DEFAULT-VALUE}).")
    int listCalls;

    @Option(names = "--sends", paramLabel = "N", defaultValue = "200000",
            description = "Sends per round of the guest (default ${DEFAULT-VALUE}).")
    long sends;

    @Option(names = "--pairs", paramLabel = "N", defaultValue = "6",
            description = "Phases without and with a watcher, in turn (default ${DEFAULT-VALUE} pairs).")
    int pairs;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "9",
            description = "Rounds the guest reports in each phase (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "1G",
            description = "The host's machine memory (default ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "The host's pCPUs (default: this machine's processors).")
    Integer cpus;

    EvtchnBenchCommand(HvsimEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws HvsimFailure, IOException {
        if (ports < 0 || ports > 1000 || listCalls < 1 || sends < 1 || pairs < 1 || rounds < 1) {
            throw new HvsimFailure("--ports must be 0..1000 (the guest's other ports fit under libxl's default "
                    + "max_event_channels), --list-calls, --sends, --pairs and --rounds at least 1", 2);
        }
        int nrCpus = cpus == null ? Runtime.getRuntime().availableProcessors() : cpus;
        return BenchHost.run(env, memory, nrCpus, (control, home) -> measure(control, home, nrCpus));
    }

    private void measure(ControlPlane control, HvsimHome home, int nrCpus) throws IOException {
        env.out().printf("hvsim bench-evtchn: %d pCPUs, %s machine memory, JDK %s, %s%n", nrCpus, memory,
                Runtime.version(), System.getProperty("os.name"));
        env.out().flush();
        EvtchnBench.Result r = EvtchnBench.run(control, home, "evtchnbench", ports, sends, listCalls, pairs, rounds,
                env.out());
        env.out().printf("ListEventChannels, a domain with %d ports in use, %d calls: p50 %s ms, p99 %s ms%n",
                r.ports(), r.listCalls(), Percentiles.millis(r.listP50Ns()), Percentiles.millis(r.listP99Ns()));
        env.out().printf("EVTCHNOP_send from the guest, median of %d rounds of %d: no watcher %.1f ns/send "
                + "(%.0f sends/s), a watcher of every event %.1f ns/send (%.0f sends/s)%n", r.rounds(), sends,
                r.offNsPerSend(), 1e9 / r.offNsPerSend(), r.onNsPerSend(), 1e9 / r.onNsPerSend());
        env.out().printf("  the watcher's cost (median of the pairs' ratios): %+.1f%% (it received %d events, and was "
                + "told of %d dropped)%n", 100 * r.watcherCost(), r.eventsWatched(), r.eventsDropped());
        env.out().flush();
    }
}
