package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the dom0 process: as in Xen, the hypervisor and the guests carry on without it; the
 * hypervisor starts a new dom0, which finds the domains again and manages them as before.
 */
class Dom0KillIT {
    @Test
    void guestsKeepRunningWhileDom0IsKilledAndRestarted() throws Exception {
        try (Host host = Host.start("1G", 2)) {
            Guests guests = new Guests(host);
            long initialFree = host.freeMemory();
            int burn = guests.create("kill-burn", "cpuburn interval_ms=500");
            int idle = guests.create("kill-idle", "idle");
            guests.await("kill-idle", DomainInfo::getBlocked, "blocked");
            guests.awaitConsole("kill-burn", "cpuburn: vCPU 0: ");
            String socket = host.hvsim("xenstore-path").expectOk().out().trim();
            String feature = "/local/domain/" + idle + "/control/feature-poweroff";
            Host.await(() -> "1".equals(xenstoreRead(socket, feature)), Guests.TIMEOUT_MS,
                    "kill-idle's shutdown watcher to publish feature-poweroff");

            long hypervisor = host.hypervisorPid();
            ProcessHandle dom0 = host.dom0().orElseThrow(() -> new AssertionError("no dom0 process"));
            assertEquals(hypervisor, dom0.parent().orElseThrow().pid(), "dom0 is the hypervisor's child");
            long burnCpuBefore = host.domain("kill-burn").orElseThrow().getCpuTimeNs();

            Duration hypervisorCpuAtKill = cpu(hypervisor);
            long killedAt = System.nanoTime();
            assertTrue(dom0.destroyForcibly(), "SIGKILL sent");
            Host.await(() -> !dom0.isAlive(), 10_000, "dom0 to die");

            // With no dom0, only the guests use the hypervisor's CPU: the burner keeps it busy.
            ProcessHandle[] next = new ProcessHandle[1];
            Host.await(() -> {
                try {
                    next[0] = host.dom0().filter(p -> p.pid() != dom0.pid()).orElse(null);
                } catch (IOException e) {
                    return false;
                }
                return next[0] != null;
            }, 30_000, "the hypervisor to start a new dom0");
            long withoutDom0Ns = System.nanoTime() - killedAt;
            long hypervisorCpuNs = cpu(hypervisor).minus(hypervisorCpuAtKill).toNanos();
            // A frozen guest would leave the hypervisor all but idle; a busy machine still gives the burner far
            // more than an eighth of a CPU.
            assertTrue(hypervisorCpuNs >= withoutDom0Ns / 8, "the hypervisor ran the burner while dom0 was gone: "
                    + hypervisorCpuNs / 1_000_000 + " ms of CPU in " + withoutDom0Ns / 1_000_000 + " ms");
            assertTrue(ProcessHandle.of(hypervisor).map(ProcessHandle::isAlive).orElse(false));

            Host.await(() -> {
                try {
                    return host.domains().size() == 3;
                } catch (StatusRuntimeException notYet) {
                    return false;
                }
            }, 30_000, "the new dom0 to serve the control plane");
            List<String> dmesg = host.xl("dmesg").expectOk().outLines();
            assertTrue(dmesg.contains("(XEN) dom0: process " + dom0.pid() + " exited with status 137; the hypervisor "
                    + "and the guests carry on; restarting dom0"), String.join("\n", dmesg));
            assertTrue(dmesg.contains("(XEN) dom0: started process " + next[0].pid() + " (dom0 generation 2)"),
                    String.join("\n", dmesg));

            List<DomainRow> rows = host.list();
            assertEquals(List.of("Domain-0", "kill-burn", "kill-idle"), rows.stream().map(DomainRow::name).toList());
            DomainRow burnRow = rows.get(1);
            DomainRow idleRow = rows.get(2);
            assertEquals(burn, burnRow.domid());
            assertEquals(idle, idleRow.domid());
            assertEquals("-b----", idleRow.state());
            assertTrue(host.domain("kill-burn").orElseThrow().getCpuTimeNs() > burnCpuBefore, "CPU time grew");

            // The console, served by the new dom0, keeps growing.
            int lines = Guests.count(host.consoleLog("kill-burn"), "cpuburn: vCPU 0: ");
            Host.await(() -> {
                try {
                    return Guests.count(host.consoleLog("kill-burn"), "cpuburn: vCPU 0: ") > lines + 1;
                } catch (IOException e) {
                    return false;
                }
            }, Guests.TIMEOUT_MS, "more progress lines in kill-burn's console log");

            host.xl("pause", "kill-burn").expectOk();
            assertEquals('p', host.row("kill-burn").orElseThrow().state().charAt(2), "managed by the new dom0");
            host.xl("destroy", "kill-burn").expectOk();

            // The new xenstored took kill-idle's ring over: the guest published its features again and its
            // control/shutdown watch fires, so xl shutdown needs no -F.
            String socketNow = host.hvsim("xenstore-path").expectOk().out().trim();
            Host.await(() -> "1".equals(xenstoreRead(socketNow, feature)), Guests.TIMEOUT_MS,
                    "kill-idle to publish feature-poweroff in the new xenstored");
            Run down = host.xl("shutdown", "-w", "kill-idle").expectOk();
            assertTrue(down.err().contains("Domain " + idle + " has been destroyed")
                    || down.err().contains("reason code 0"), down.err());
            assertTrue(host.consoleLog("kill-idle").contains("minios: shutting down (poweroff)"),
                    host.consoleLog("kill-idle"));
            guests.awaitGone("kill-idle");
            assertEquals(List.of("Domain-0"), host.list().stream().map(DomainRow::name).toList());
            host.awaitFreeMemory(initialFree, Guests.TIMEOUT_MS);
        }
    }

    /** {@code xenstore-read path} against the xenstored at {@code socket}; null if it fails. */
    private static String xenstoreRead(String socket, String path) {
        try {
            ProcessBuilder pb = new ProcessBuilder("xenstore-read", path).redirectErrorStream(true);
            pb.environment().put("XENSTORED_PATH", socket);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The CPU time process {@code pid} has used, all its threads together. */
    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                .orElseThrow(() -> new AssertionError("no CPU time for pid " + pid));
    }
}
