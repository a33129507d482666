package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.client.TemporaryDirectory;

/**
 * A host a benchmark starts for itself in a temporary HVSIM_HOME, measures on, and stops (the home goes
 * with it). Threads: the command's.
 */
final class BenchHost {
    /** What a benchmark does with the host. */
    @FunctionalInterface
    interface Measurement {
        void measure(ControlPlane control, HvsimHome home) throws IOException, HvsimFailure;
    }

    private BenchHost() {
    }

    /** Starts a host of {@code memory} and {@code cpus}, runs {@code measurement}, stops it; the exit code. */
    static int run(HvsimEnvironment env, String memory, int cpus, Measurement measurement)
            throws IOException, HvsimFailure {
        return run(env, memory, cpus, List.of(), measurement);
    }

    /**
     * As {@link #run(HvsimEnvironment, String, int, Measurement)}, with more options for {@code hvsim start}
     * (such as {@code --sched credit}).
     */
    static int run(HvsimEnvironment env, String memory, int cpus, List<String> startOptions, Measurement measurement)
            throws IOException, HvsimFailure {
        try (TemporaryDirectory tmp = TemporaryDirectory.create("hvsim-bench-")) {
            HvsimEnvironment hostEnv = env.withHome(new HvsimHome(tmp.path()));
            List<String> start = new ArrayList<>(List.of("start", "--memory", memory, "--cpus", Integer.toString(cpus)));
            start.addAll(startOptions);
            int started = HvsimCommandLine.run(hostEnv, start.toArray(String[]::new));
            if (started != 0) {
                return started;
            }
            try (ControlPlane control = hostEnv.connector().connect()) {
                measurement.measure(control, hostEnv.home());
            } catch (HostNotRunningException e) {
                throw new HvsimFailure(e.getMessage(), 1);
            } finally {
                HvsimCommandLine.run(hostEnv, "stop");
            }
        }
        return 0;
    }
}
