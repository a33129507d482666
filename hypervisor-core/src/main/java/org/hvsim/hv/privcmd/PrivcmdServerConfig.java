package org.hvsim.hv.privcmd;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.hvsim.proto.privcmd.Welcome;

/**
 * How a {@link PrivcmdServer} is set up.
 *
 * @param socketPath where the socket file is created (mode 0600); a stale socket there is replaced
 * @param token the secret dom0 must present in its Hello
 * @param welcome called once per accepted dom0 session, on the server's event loop (so it must not
 *     block), for the Welcome that answers its Hello
 * @param helloTimeoutNs how long a new connection may take to send its Hello before it is closed
 * @param maxInFlight how many hypercalls of the session may run at once; beyond it the server stops
 *     reading the socket until one completes
 */
public record PrivcmdServerConfig(
        Path socketPath, PrivcmdToken token, Supplier<Welcome> welcome, long helloTimeoutNs, int maxInFlight) {

    /** Ten seconds. */
    public static final long DEFAULT_HELLO_TIMEOUT_NS = 10_000_000_000L;

    public PrivcmdServerConfig {
        Objects.requireNonNull(socketPath, "socketPath");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(welcome, "welcome");
        if (helloTimeoutNs <= 0) {
            throw new IllegalArgumentException("helloTimeoutNs must be positive, not " + helloTimeoutNs);
        }
        if (maxInFlight < 1 || maxInFlight > 65_536) {
            throw new IllegalArgumentException("maxInFlight must be in [1, 65536], not " + maxInFlight);
        }
    }

    /** A configuration with the default Hello timeout and in-flight bound. */
    public static PrivcmdServerConfig of(Path socketPath, PrivcmdToken token, Supplier<Welcome> welcome) {
        return new PrivcmdServerConfig(socketPath, token, welcome, DEFAULT_HELLO_TIMEOUT_NS,
                PrivcmdLimits.DEFAULT_MAX_IN_FLIGHT);
    }
}
