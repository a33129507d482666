package org.hvsim.tools.hvsim;

import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.hvsim.tools.client.HostNotRunningException;

/**
 * Waits for a host that is starting: ready when dom0's control plane answers {@code GetHostInfo} (tools
 * cannot compile against grpc-services' health service, so the host's own first RPC is the readiness
 * check); given up on when the process exits or the time is up. Checks every
 * {@value #POLL_MILLIS} ms.
 */
final class ReadinessProbe {
    static final long POLL_MILLIS = 100;
    static final long CALL_TIMEOUT_MILLIS = 1000;

    /** How a wait ended. */
    sealed interface Outcome {
    }

    record Ready(HostInfo info) implements Outcome {
    }

    record Exited(int status) implements Outcome {
    }

    record TimedOut() implements Outcome {
    }

    private ReadinessProbe() {
    }

    static Outcome await(Process process, Path socket, ControlPlaneConnector connector, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ControlPlane control = null;
        try {
            while (System.nanoTime() - deadline < 0) {
                if (!process.isAlive()) {
                    return new Exited(process.exitValue());
                }
                if (control == null && Files.exists(socket)) {
                    try {
                        control = connector.connect();
                    } catch (HostNotRunningException e) {
                        control = null; // the socket went away again; keep waiting
                    }
                }
                if (control != null) {
                    try {
                        return new Ready(control.host().withDeadlineAfter(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                                .getHostInfo(Empty.getDefaultInstance()));
                    } catch (StatusRuntimeException e) {
                        control.resetConnectBackoff();
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
            }
            return new TimedOut();
        } finally {
            if (control != null) {
                control.close();
            }
        }
    }
}
