package org.hvsim.hv.boot;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.hv.console.HvConsole;
import org.hvsim.hv.privcmd.PrivcmdServer;
import org.hvsim.hv.privcmd.PrivcmdToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the dom0 process, the way Xen starts the dom0 kernel, and keeps it running: if it dies, the
 * hypervisor and the domUs carry on, and a new dom0 is started (with growing delays if it keeps dying)
 * that recovers the toolstack's state. Threads: the caller starts and stops it; the "dom0-supervisor"
 * thread watches the process.
 */
final class Dom0Launcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dom0Launcher.class);
    static final String DOM0_MAIN = "org.hvsim.dom0.Dom0Main";
    private static final long MAX_BACKOFF_MS = 30_000;
    /** A dom0 that lived this long resets the backoff. */
    private static final long STABLE_MS = 60_000;

    private final HostConfig config;
    private final PrivcmdToken token;
    private final HvConsole console;
    private final Thread supervisor;
    private volatile boolean stopping;
    private volatile Process process;
    private volatile int generation;
    /** CPU time of dom0 processes that have exited, and the last sample of the running one. */
    private volatile long pastCpuNs;
    private volatile long currentCpuNs;

    Dom0Launcher(HostConfig config, PrivcmdToken token, HvConsole console) {
        this.config = config;
        this.token = token;
        this.console = console;
        this.supervisor = Thread.ofPlatform().name("dom0-supervisor").daemon().unstarted(this::supervise);
    }

    void start() {
        supervisor.start();
    }

    /** The number of the dom0 process now running (1 for the first since boot). */
    int generation() {
        return generation;
    }

    Optional<ProcessHandle> process() {
        Process p = process;
        return p == null ? Optional.empty() : Optional.of(p.toHandle());
    }

    private void supervise() {
        long backoff = 1_000;
        while (!stopping) {
            long started = System.currentTimeMillis();
            try {
                generation++;
                process = launch();
                console.printk("dom0: started process " + process.pid() + " (dom0 generation " + generation + ")");
                while (!process.waitFor(1, TimeUnit.SECONDS)) {
                    sampleCpu();
                }
                int status = process.exitValue();
                pastCpuNs += currentCpuNs;
                currentCpuNs = 0;
                if (stopping) {
                    return;
                }
                console.printk("dom0: process " + process.pid() + " exited with status " + status
                        + "; the hypervisor and the guests carry on; restarting dom0");
            } catch (IOException e) {
                console.printk("dom0: cannot start the dom0 process: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            backoff = System.currentTimeMillis() - started > STABLE_MS ? 1_000 : Math.min(backoff * 2, MAX_BACKOFF_MS);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
        }
    }

    private void sampleCpu() {
        Process p = process;
        if (p != null) {
            p.toHandle().info().totalCpuDuration().ifPresent(d -> currentCpuNs = d.toNanos());
        }
    }

    /** CPU time every dom0 process of this host has used (as of the last second). */
    long cpuTimeNs() {
        sampleCpu();
        return pastCpuNs + currentCpuNs;
    }

    private Process launch() throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-XX:AOTCache") && !arg.startsWith("-XX:SharedArchiveFile") && !arg.startsWith("-agentlib")
                    && !arg.startsWith("-javaagent")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DOM0_MAIN);
        cmd.add("--home");
        cmd.add(config.home().toString());
        cmd.add("--kernels");
        cmd.add(config.kernels().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(PrivcmdServer.ENV_SOCKET, config.privcmdSocket().toString());
        pb.environment().put(PrivcmdServer.ENV_TOKEN, token.secret());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(config.logDir().resolve("dom0.out").toFile()));
        return pb.start();
    }

    /** Stops dom0: SIGTERM, then SIGKILL if it has not exited within the grace period. */
    @Override
    public void close() {
        stopping = true;
        supervisor.interrupt();
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    LOG.warn("dom0 did not stop within 10 s; killing it");
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
