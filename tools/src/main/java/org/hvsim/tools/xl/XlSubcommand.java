package org.hvsim.tools.xl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Option;

/**
 * What every xl subcommand shares: {@code -h}, the environment, and the way a failure ends the command
 * (its text on stderr, its exit code). A host that does not answer is one line naming the socket and how
 * to start a host; any other refusal by dom0 prints dom0's message.
 */
public abstract class XlSubcommand implements Callable<Integer> {
    protected final XlEnvironment env;

    @Option(names = "-h", usageHelp = true, description = "Print this help.")
    boolean helpRequested;

    protected XlSubcommand(XlEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** The command's work; returns its exit code. */
    protected abstract int run() throws XlFailure, HostNotRunningException;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (XlFailure f) {
            env.out().flush();
            env.err().print(f.getMessage());
            return f.exitCode();
        } catch (HostNotRunningException e) {
            env.err().print("xl: " + e.getMessage() + "\n");
            return 1;
        } catch (StatusRuntimeException e) {
            env.err().print(describe(e) + "\n");
            return 1;
        } finally {
            env.out().flush();
            env.err().flush();
        }
    }

    /** One line for a failed call: unreachable host, timeout, or dom0's own message. */
    protected final String describe(StatusRuntimeException e) {
        Status status = e.getStatus();
        String target = env.controlTarget();
        return switch (status.getCode()) {
            case UNAVAILABLE -> "xl: " + HostNotRunningException.unreachable(
                    target == null ? "the control socket" : target, reason(status)).getMessage();
            case DEADLINE_EXCEEDED -> "xl: the hvsim host did not answer in time (" + reason(status) + ")";
            default -> status.getDescription() != null ? status.getDescription()
                    : "xl: dom0 refused the request: " + status.getCode();
        };
    }

    /**
     * dom0 refused a call: its reason, then (unless null) xl's own line for the failure. A host that did
     * not answer gets only the unreachable-host line.
     */
    protected final XlFailure refused(StatusRuntimeException e, String xlLine) {
        Status.Code code = e.getStatus().getCode();
        if (xlLine == null || code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
            return XlFailure.line(describe(e));
        }
        return XlFailure.line(describe(e) + "\n" + xlLine);
    }

    private static String reason(Status status) {
        if (status.getDescription() != null) {
            return status.getDescription();
        }
        return status.getCause() != null ? String.valueOf(status.getCause().getMessage()) : status.getCode().name();
    }
}
