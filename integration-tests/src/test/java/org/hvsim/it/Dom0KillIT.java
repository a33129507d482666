package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
            host.xl("destroy", "kill-idle").expectOk();
            assertEquals(List.of("Domain-0"), host.list().stream().map(DomainRow::name).toList());
            host.awaitFreeMemory(initialFree, Guests.TIMEOUT_MS);
        }
    }

    /** The CPU time process {@code pid} has used, all its threads together. */
    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                .orElseThrow(() -> new AssertionError("no CPU time for pid " + pid));
    }
}
