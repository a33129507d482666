package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.HostInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hvsim start [--memory 4G] [--cpus N] [--sched rr|credit] [--dom0-mem SIZE]}: runs the hypervisor
 * as a background process (its output appended to {@code $HVSIM_HOME/log/hypervisor.out}), records its pid,
 * and waits until dom0's control plane answers. A host that exits while starting, or does not answer within
 * 60 s (it is then stopped), is reported with the last lines of its log, exit 1. Sizes are read as xl reads
 * them: a number of MiB, or with a unit b, k, m, g or t. The scheduler is passed on as given; the
 * hypervisor refuses one it does not have, in its own words.
 */
@Command(name = "start", description = "Start a host: the hypervisor, which boots dom0, in the background")
final class StartCommand extends HvsimSubcommand {
    /** Owner-only permissions for a new home: it holds the control socket. */
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "4G",
            description = "Machine memory (default ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "Physical CPUs (default: this machine's processors).")
    Integer cpus;

    @Option(names = "--sched", paramLabel = "rr|credit", defaultValue = "credit",
            description = "Scheduler (default ${DEFAULT-VALUE}).")
    String scheduler;

    @Option(names = "--dom0-mem", paramLabel = "SIZE",
            description = "dom0's memory (default 512M, or half of --memory if that is less).")
    String dom0Memory;

    /** The hypervisor's bounds (its HostConfig), checked here so that a bad option is one clear line. */
    static final long MIN_MEMORY_BYTES = 64L << 20;
    static final long MIN_DOM0_BYTES = 16L << 20;
    static final long DEFAULT_DOM0_BYTES = 512L << 20;
    static final int MAX_CPUS = 256;
    private static final long MIB_MASK = (1L << 20) - 1;

    StartCommand(HvsimEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws HvsimFailure, IOException {
        HostShape shape = shape();
        Path home = env.home().dir();
        Files.createDirectories(home, OWNER_ONLY);
        Files.createDirectories(env.home().logDir(), OWNER_ONLY);
        try (HomeLock lock = HomeLock.acquire(env.home())) {
            Optional<ProcessHandle> running = PidFile.liveHypervisor(env.home().pidFile());
            if (running.isPresent()) {
                throw new HvsimFailure("a host is already running in HVSIM_HOME=" + home + " (pid "
                        + running.get().pid() + "); stop it with tools/bin/hvsim stop", 1);
            }
            // Nothing runs here: a pid file or control socket left by a host that died is stale.
            Files.deleteIfExists(env.home().pidFile());
            Files.deleteIfExists(env.home().controlSocket());
            return start(shape);
        }
    }

    private int start(HostShape shape) throws HvsimFailure, IOException {
        Path log = env.home().hypervisorLog();
        List<String> command = env.launch().command(shape);
        Files.writeString(log, "---- " + Instant.now() + " hvsim start: " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command)
                .redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        PidFile.write(env.home().pidFile(), process.pid());
        ReadinessProbe.Outcome outcome = ReadinessProbe.await(process, env.home().controlSocket(), env.connector(),
                env.readyTimeout());
        return switch (outcome) {
            case ReadinessProbe.Ready ready -> started(process.pid(), ready.info());
            case ReadinessProbe.Exited exited -> {
                Files.deleteIfExists(env.home().pidFile());
                throw failure("the host exited while starting (exit status " + exited.status() + ")", log);
            }
            case ReadinessProbe.TimedOut timedOut -> {
                stop(process);
                Files.deleteIfExists(env.home().pidFile());
                throw failure("the host did not answer on " + env.home().controlSocket() + " within "
                        + env.readyTimeout().toSeconds() + " s, so it was stopped (pid " + process.pid() + ")", log);
            }
        };
    }

    private int started(long pid, HostInfo info) {
        say("host started (pid " + pid + "): " + info.getTotalMemory() + " MiB, " + info.getNrCpus()
                + " pCPUs, scheduler " + info.getXenScheduler() + "; HVSIM_HOME=" + env.home().dir());
        return 0;
    }

    private HostShape shape() throws HvsimFailure {
        long memoryBytes = size("--memory", memory);
        if (memoryBytes < MIN_MEMORY_BYTES || memoryBytes % 4096 != 0) {
            throw new HvsimFailure("--memory must be whole 4 KiB pages and at least " + MemorySize.mib(MIN_MEMORY_BYTES)
                    + " MiB, not " + memoryBytes + " bytes", 2);
        }
        long halfBytes = memoryBytes / 2;
        long dom0Bytes = dom0Memory == null ? Math.min(DEFAULT_DOM0_BYTES, halfBytes & ~MIB_MASK)
                : size("--dom0-mem", dom0Memory);
        int n = cpus == null ? Runtime.getRuntime().availableProcessors() : cpus;
        if (n <= 0 || n > MAX_CPUS) {
            throw new HvsimFailure("--cpus must be 1.." + MAX_CPUS + ", not " + n, 2);
        }
        if (!scheduler.equals("rr") && !scheduler.equals("credit")) {
            throw new HvsimFailure("--sched must be rr or credit, not '" + scheduler + "'", 2);
        }
        if (dom0Bytes < MIN_DOM0_BYTES || dom0Bytes > halfBytes) {
            throw new HvsimFailure("--dom0-mem (" + MemorySize.mib(dom0Bytes) + " MiB) must be at least "
                    + MemorySize.mib(MIN_DOM0_BYTES) + " MiB and at most half of --memory ("
                    + MemorySize.mib(memoryBytes) + " MiB)", 2);
        }
        return new HostShape(env.home().dir(), memoryBytes, n, scheduler, dom0Bytes);
    }

    private static long size(String option, String text) throws HvsimFailure {
        try {
            return MemorySize.parseBytes(text);
        } catch (IllegalArgumentException e) {
            throw new HvsimFailure(option + ": " + e.getMessage(), 2);
        }
    }

    private HvsimFailure failure(String what, Path log) throws IOException {
        StringBuilder message = new StringBuilder(what).append("; the last lines of ").append(log).append(':');
        for (String line : LogTail.lastLines(log, LogTail.LINES)) {
            message.append("\n  ").append(line);
        }
        return new HvsimFailure(message.toString(), 1);
    }

    private void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(env.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(env.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
