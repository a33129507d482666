package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;

/**
 * {@code hvsim stop}: SIGTERM to the hypervisor, then up to 30 s for it to exit (after which it is killed,
 * and this says so); the pid file is removed if the hypervisor left it. Stopping a home where nothing runs
 * succeeds, as an LSB stop of a stopped service does.
 */
@Command(name = "stop", description = "Stop the host: SIGTERM to the hypervisor, SIGKILL after 30 s")
final class StopCommand extends HvsimSubcommand {
    StopCommand(HvsimEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws HvsimFailure, IOException {
        if (!Files.isDirectory(env.home().dir())) {
            say("no host is running in HVSIM_HOME=" + env.home().dir());
            return 0;
        }
        try (HomeLock lock = HomeLock.acquire(env.home())) {
            Optional<ProcessHandle> running = PidFile.liveHypervisor(env.home().pidFile());
            if (running.isEmpty()) {
                Files.deleteIfExists(env.home().pidFile());
                say("no host is running in HVSIM_HOME=" + env.home().dir());
                return 0;
            }
            ProcessHandle host = running.get();
            host.destroy();
            if (!exited(host)) {
                say("the host did not stop within " + env.stopTimeout().toSeconds() + " s of SIGTERM; killing it (pid "
                        + host.pid() + ")");
                host.destroyForcibly();
                if (!exited(host)) {
                    throw new HvsimFailure("the host (pid " + host.pid() + ") survived SIGKILL", 1);
                }
            }
            Files.deleteIfExists(env.home().pidFile());
            say("host stopped (pid " + host.pid() + ")");
            return 0;
        }
    }

    private boolean exited(ProcessHandle host) throws HvsimFailure {
        try {
            host.onExit().get(env.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new HvsimFailure("waiting for the host to exit failed: " + e.getCause(), 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HvsimFailure("interrupted while waiting for the host to exit", 1);
        }
    }
}
