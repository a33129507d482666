package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code hvsim xenstore-path}: prints the path of the running host's xenstored socket, for
 * {@code XENSTORED_PATH=$(hvsim xenstore-path) xenstore-ls}. Exits 1 with a message on stderr if no host
 * runs in HVSIM_HOME (or its xenstored has no socket).
 */
@Command(name = "xenstore-path", description = "Print the path of the host's xenstored socket (for XENSTORED_PATH)")
final class XenstorePathCommand extends HvsimSubcommand {

    XenstorePathCommand(HvsimEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws HvsimFailure, IOException {
        Optional<ProcessHandle> running = PidFile.liveHypervisor(env.home().pidFile());
        if (running.isEmpty()) {
            throw new HvsimFailure("no host is running in HVSIM_HOME=" + env.home().dir()
                    + " (start one with 'hvsim start')", 1);
        }
        if (!Files.exists(env.home().xenstoredSocket())) {
            throw new HvsimFailure("the host in HVSIM_HOME=" + env.home().dir() + " has no xenstored socket at "
                    + env.home().xenstoredSocket(), 1);
        }
        env.out().print(env.home().xenstoredSocket() + "\n");
        return 0;
    }
}
