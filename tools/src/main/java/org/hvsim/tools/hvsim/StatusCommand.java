package org.hvsim.tools.hvsim;

import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;

/**
 * {@code hvsim status}: whether a host runs in this home, its pid, and what its control plane says (memory,
 * free memory, pCPUs, scheduler, domains). Exit codes as an LSB status action: 0 running, 1 not running
 * but a pid file is left, 3 not running.
 */
@Command(name = "status", description = "Say whether a host runs, and what it has")
final class StatusCommand extends HvsimSubcommand {
    static final int LSB_RUNNING = 0;
    static final int LSB_DEAD_PID_FILE = 1;
    static final int LSB_NOT_RUNNING = 3;
    static final long CALL_TIMEOUT_SECONDS = 5;

    StatusCommand(HvsimEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws IOException {
        OptionalLong pid = PidFile.read(env.home().pidFile());
        Optional<ProcessHandle> running = PidFile.liveHypervisor(env.home().pidFile());
        if (running.isEmpty()) {
            if (pid.isPresent()) {
                say("no host is running in HVSIM_HOME=" + env.home().dir() + " (a stale pid file names pid "
                        + pid.getAsLong() + ")");
                return LSB_DEAD_PID_FILE;
            }
            say("no host is running in HVSIM_HOME=" + env.home().dir());
            return LSB_NOT_RUNNING;
        }
        say("host running (pid " + running.get().pid() + "); HVSIM_HOME=" + env.home().dir());
        try (ControlPlane control = env.connector().connect()) {
            HostInfo info = control.host().withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getHostInfo(Empty.getDefaultInstance());
            int domains = control.domains().withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .listDomains(ListDomainsRequest.getDefaultInstance()).getDomainsCount();
            env.out().print("memory:    " + Long.toUnsignedString(info.getTotalMemory()) + " MiB, "
                    + Long.toUnsignedString(info.getFreeMemory()) + " MiB free\n");
            env.out().print("pCPUs:     " + Integer.toUnsignedString(info.getNrCpus()) + "\n");
            env.out().print("scheduler: " + info.getXenScheduler() + "\n");
            env.out().print("domains:   " + domains + "\n");
        } catch (HostNotRunningException e) {
            env.out().print("control plane: " + e.getMessage() + "\n");
        } catch (StatusRuntimeException e) {
            env.out().print("control plane: not answering on " + env.home().controlSocket() + " ("
                    + e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                    : ": " + e.getStatus().getDescription()) + ")\n");
        }
        return LSB_RUNNING;
    }
}
