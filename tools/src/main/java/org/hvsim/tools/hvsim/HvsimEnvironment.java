package org.hvsim.tools.hvsim;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.client.UnixSocketConnector;

/**
 * What an hvsim command works with: its writers, the host's home, how to launch a hypervisor, how to
 * reach the control plane, and how long to wait for a host to come up or go down.
 *
 * @param readyTimeout how long {@code start} waits for the control plane to answer
 * @param stopTimeout how long {@code stop} waits after SIGTERM before it kills the host
 */
public record HvsimEnvironment(PrintWriter out, PrintWriter err, HvsimHome home, HypervisorLaunch launch,
        ControlPlaneConnector connector, Duration readyTimeout, Duration stopTimeout) {
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    public HvsimEnvironment {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(launch, "launch");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
    }

    /** The same environment for the host in {@code other}, reached over its own control socket. */
    public HvsimEnvironment withHome(HvsimHome other) {
        return new HvsimEnvironment(out, err, other, launch, new UnixSocketConnector(other.controlSocket()),
                readyTimeout, stopTimeout);
    }
}
