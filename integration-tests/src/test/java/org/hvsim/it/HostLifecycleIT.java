package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A host's own life through {@code tools/bin/hvsim}: start, status, stop and what they leave behind, with
 * another host running beside it; a second start on a running home; the shape options as {@code xl info}
 * reports them.
 */
class HostLifecycleIT {
    /** A host of an unusual shape, shared by the tests that do not stop it. */
    private static Host shaped;

    @BeforeAll
    static void startShapedHost() throws Exception {
        shaped = Host.start("768M", 3);
    }

    @AfterAll
    static void stopShapedHost() {
        if (shaped != null) {
            shaped.close();
        }
    }

    /**
     * A second host beside the shared one: start, status, each host sees only its own domains, then stop,
     * which leaves no process, socket or memory file of that host behind and the other host untouched.
     */
    @Test
    void aSecondHostRunsBesideTheFirstAndStopsLeavingNothingBehind() throws Exception {
        try (Host host = Host.create()) {
            Path home = host.home();
            Run start = host.hvsim("start", "--memory", "1G", "--cpus", "2").expectOk();
            long pid = host.hypervisorPid();
            assertEquals("hvsim: host started (pid " + pid + "): 1024 MiB, 2 pCPUs, scheduler credit; HVSIM_HOME=" + home
                    + "\n", start.out());
            Path memoryFile = Files.readSymbolicLink(home.resolve("machine.mem"));
            assertTrue(memoryFile.startsWith("/dev/shm"), memoryFile.toString());
            assertTrue(Files.exists(memoryFile));
            long dom0 = host.dom0().orElseThrow(() -> new AssertionError("no dom0 process")).pid();
            assertEquals(List.of(pid, dom0), host.processes().stream().map(ProcessHandle::pid).sorted().toList());
            assertTrue(shaped.processes().stream().noneMatch(p -> p.pid() == pid || p.pid() == dom0));

            Run status = host.hvsim("status").expectExit(0);
            List<String> lines = status.outLines();
            assertEquals("hvsim: host running (pid " + pid + "); HVSIM_HOME=" + home, lines.get(0));
            assertTrue(lines.get(1).matches("memory: {4}1024 MiB, [0-9]+ MiB free"), status.out());
            assertEquals(List.of("pCPUs:     2", "scheduler: credit", "domains:   1"), lines.subList(2, 5));

            Guests here = new Guests(shaped);
            Guests there = new Guests(host);
            here.create("side-a", "idle");
            there.create("side-b", "idle");
            assertEquals(List.of("Domain-0", "side-a"), shaped.list().stream().map(DomainRow::name).toList());
            assertEquals(List.of("Domain-0", "side-b"), host.list().stream().map(DomainRow::name).toList());
            shaped.xl("list", "side-b").expectExit(1);
            host.xl("list", "side-a").expectExit(1);
            assertEquals("1024\n", host.xl("info", "total_memory").expectOk().out());

            Run stop = host.hvsim("stop").expectOk();
            assertEquals("hvsim: host stopped (pid " + pid + ")\n", stop.out());
            Run stopped = host.hvsim("status").expectExit(3);
            assertEquals("hvsim: no host is running in HVSIM_HOME=" + home + "\n", stopped.out());
            assertEquals(List.of(), host.processes(), "no process of the host is left");
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertFalse(ProcessHandle.of(dom0).map(ProcessHandle::isAlive).orElse(false));
            assertFalse(Files.exists(memoryFile), "the machine memory file is removed");
            assertFalse(Files.exists(home.resolve("control.sock")));
            Run xl = host.xl("list").expectExit(1);
            assertEquals("xl: no hvsim host is running: " + home.resolve("control.sock") + " does not exist; start "
                    + "one with tools/bin/hvsim start\n", xl.err());

            here.await("side-a", DomainInfo::getBlocked, "untouched by the other host's stop");
            shaped.xl("destroy", "side-a").expectOk();
        }
    }

    @Test
    void startingASecondHostInOneHomeFailsAndLeavesTheFirstAlone() throws Exception {
        long pid = shaped.hypervisorPid();
        Run again = shaped.hvsim("start", "--memory", "1G", "--cpus", "1").expectExit(1);
        assertEquals("hvsim: a host is already running in HVSIM_HOME=" + shaped.home() + " (pid " + pid
                + "); stop it with tools/bin/hvsim stop\n", again.err());
        assertEquals(pid, shaped.hypervisorPid());
        assertEquals(2, shaped.processes().size(), "still one hypervisor and its dom0");
        assertEquals("768\n", shaped.xl("info", "total_memory").expectOk().out());
    }

    @Test
    void memoryAndCpusOptionsShowInXlInfo() throws Exception {
        Run info = shaped.xl("info").expectOk();
        List<String> lines = info.outLines();
        assertTrue(lines.contains("total_memory           : 768"), info.out());
        assertTrue(lines.contains("nr_cpus                : 3"), info.out());
        assertTrue(lines.contains("max_cpu_id             : 2"), info.out());
        assertTrue(lines.contains("xen_scheduler          : credit"), info.out());
        assertEquals("xend_config_format     : 4", lines.getLast(), "always the last line");
        assertEquals(768 / 2, shaped.list().getFirst().memMib(), "dom0 has half of a machine this small");
        long free = shaped.freeMemory();
        assertTrue(free > 0 && free <= 768 / 2, free + " MiB free");
    }
}
