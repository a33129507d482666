package org.hvsim.tools.client;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A host's state directory, {@code $HVSIM_HOME} (default {@code ~/.hvsim}), and the files in it that the
 * command-line tools use: dom0's control socket, the hypervisor's pid file and its log.
 */
public record HvsimHome(Path dir) {
    public static final String ENV = "HVSIM_HOME";

    public HvsimHome {
        dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    }

    /** {@code $HVSIM_HOME} if set and not empty, else {@code <userHome>/.hvsim}. */
    public static HvsimHome fromEnvironment(Map<String, String> env, String userHome) {
        String value = env.get(ENV);
        if (value != null && !value.isEmpty()) {
            return new HvsimHome(Path.of(value));
        }
        return new HvsimHome(Path.of(userHome, ".hvsim"));
    }

    /** The home of this process: its environment and {@code user.home}. */
    public static HvsimHome current() {
        return fromEnvironment(System.getenv(), System.getProperty("user.home"));
    }

    /** dom0's gRPC control plane, a Unix domain socket of mode 0600. */
    public Path controlSocket() {
        return dir.resolve("control.sock");
    }

    /**
     * dom0's xenstored socket ({@code XENSTORED_RUNDIR/socket} in Xen): point libxenstore's
     * {@code XENSTORED_PATH} at it.
     */
    public Path xenstoredSocket() {
        return dir.resolve("xenstored").resolve("socket");
    }

    /** The running hypervisor's process id, one decimal number and a newline. */
    public Path pidFile() {
        return dir.resolve("hypervisor.pid");
    }

    public Path logDir() {
        return dir.resolve("log");
    }

    /** The hypervisor process's stdout and stderr. */
    public Path hypervisorLog() {
        return logDir().resolve("hypervisor.out");
    }

    /** Held (as a file lock) while {@code hvsim start} or {@code hvsim stop} runs, so two cannot interleave. */
    public Path lockFile() {
        return dir.resolve("hvsim.lock");
    }
}
