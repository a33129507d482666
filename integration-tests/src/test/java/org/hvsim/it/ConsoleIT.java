package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.Test;

/**
 * Consoles on one shared host: a guest's console log (xenconsoled), a live {@code xl console} both ways
 * with Ctrl-] to detach, {@code xl create -c}, and the hypervisor's own console ({@code xl dmesg}).
 */
class ConsoleIT extends HostPerClass {
    /** Ctrl-], xl console's default escape character. */
    private static final byte CTRL_RIGHT_BRACKET = 0x1d;

    /** The first line the built-in kernel prints. */
    private static String banner(String app) {
        return "hvsim minios: booting on 1 vCPU, " + Guests.MEMORY_MIB + " MiB, command line \"app=" + app + "\"";
    }

    @Test
    void consoleLogOfAHelloGuestHasTheBannerAndTheHelloLine() throws Exception {
        host.xl("create", guests.config("con-hello", "hello", "on_poweroff = \"destroy\"").toString()).expectOk();
        guests.awaitGone("con-hello");
        String log = guests.awaitConsole("con-hello", "minios: app hello finished; powering off\n");
        List<String> lines = log.lines().toList();
        assertEquals(banner("hello"), lines.getFirst(), log);
        assertTrue(lines.get(1).startsWith("minios: Xen 4.19, start_info gfn "), log);
        assertTrue(lines.get(2).matches("minios: xenstore ring gfn 2 port [0-9]+"), log);
        assertEquals(List.of("minios: running app hello", "Hello, world!"), lines.subList(3, 5), log);
        assertTrue(lines.get(5).matches("hello: from vCPU 0 of 1, .* after boot, on Xen 4\\.19"), log);
    }

    @Test
    void xlConsoleEchoesInputAndCtrlRightBracketDetaches() throws Exception {
        guests.create("con-echo", "echo");
        guests.awaitConsole("con-echo", "echo: type something; it comes back\n");
        try (LiveProcess console = host.spawnXl("console", "con-echo")) {
            console.awaitOut("echo: type something; it comes back\n", Guests.TIMEOUT_MS);
            console.write("ping 42\r");
            console.awaitOut("ping 42\r\n", Guests.TIMEOUT_MS);
            console.write("second line\r");
            console.awaitOut("ping 42\r\nsecond line\r\n", Guests.TIMEOUT_MS);
            console.write(CTRL_RIGHT_BRACKET);
            Run detached = console.awaitExit(Guests.TIMEOUT_MS);
            detached.expectOk();
            assertTrue(detached.out().startsWith(banner("echo") + "\n"), "xl console shows the output buffered "
                    + "before it attached:\n" + detached.out());
        }
        DomainInfo after = guests.await("con-echo", DomainInfo::getBlocked, "still running after the detach");
        assertEquals(host.domain("con-echo").orElseThrow().getDomid(), after.getDomid());
        assertTrue(host.consoleLog("con-echo").contains("ping 42\r\n"), "the log has the echo too");
        host.xl("destroy", "con-echo").expectOk();
    }

    @Test
    void createWithConsoleAttachesBeforeTheGuestRuns() throws Exception {
        Path cfg = guests.config("con-create", "hello", "on_poweroff = \"destroy\"");
        Run run = host.xl("create", "-c", cfg.toString()).expectOk();
        assertTrue(run.out().startsWith(banner("hello") + "\n"), "nothing missed:\n" + run.out());
        assertTrue(run.out().contains("\nHello, world!\n"), run.out());
        assertTrue(run.out().contains("\nminios: app hello finished; powering off\n"), run.out());
        guests.awaitGone("con-create");
    }

    @Test
    void dmesgShowsTheHypervisorsBootLines() throws Exception {
        long dom0 = host.dom0().orElseThrow().pid();
        Run dmesg = host.xl("dmesg").expectOk();
        List<String> lines = dmesg.outLines();
        assertEquals("(XEN) hvsim 4.19.0-hvsim (Xen 4.19 interface): 1024 MiB machine memory, 2 pCPUs, scheduler credit",
                lines.getFirst(), dmesg.out());
        assertTrue(lines.contains("(XEN) dom0: started process " + dom0 + " (dom0 generation 1)"), dmesg.out());
        assertTrue(lines.contains("(XEN) dom0: process " + dom0 + " connected to the privcmd channel"), dmesg.out());
    }
}
