package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command's demo: {@code tools/bin/hvsim demo} does its tour and leaves nothing behind. */
class DemoIT {
    private static final Pattern DEMO_HOME = Pattern.compile("HVSIM_HOME=(/\\S*hvsim-demo-\\d+)");

    @TempDir
    Path userHome;

    @Test
    void theDemoTourRunsOnItsOwnHostAndCleansUp() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Host.ROOT.resolve("tools/bin/hvsim").toString(), "demo")
                .redirectErrorStream(true);
        pb.environment().put("HVSIM_HOME", userHome.toString());
        Process p = pb.start();
        String out;
        Path demoHome = null;
        try {
            p.getOutputStream().close();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the demo did not finish");
            Matcher m = DEMO_HOME.matcher(out);
            assertTrue(m.find(), out);
            demoHome = Path.of(m.group(1));
        } finally {
            p.destroyForcibly();
            if (demoHome != null) {
                String marker = demoHome.toString();
                ProcessHandle.allProcesses()
                        .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                        .forEach(ProcessHandle::destroyForcibly);
            }
        }
        assertEquals(0, p.exitValue(), out);
        for (String expected : List.of(
                "$ xl create " + demoHome.resolve("idle.cfg"),
                "Name                                        ID   Mem VCPUs\tState\tTime(s)",
                "$ xl vcpu-list",
                "$ lsevtchn -v idle",
                ": VCPU 0: Interdomain (Connected) - Remote Domain 0, Port ",
                "label=\"xenstore\"",
                "Hello, world!",
                "minios: app hello finished; powering off",
                "idle                                         1    64     2     -bp---",
                "hvsim: host stopped",
                "hvsim: done")) {
            assertTrue(out.contains(expected), "missing `" + expected + "' in:\n" + out);
        }
        // xl reports whichever it sees first: the shutdown, or (on_poweroff="destroy") the domain's death.
        assertTrue(out.contains("Domain 1 has been shut down, reason code 0\n")
                || out.contains("Domain 1 has been destroyed\n"), out);
        assertFalse(Files.exists(demoHome), "the demo's home is left: " + demoHome);
        try (var files = Files.list(userHome)) {
            assertEquals(0, files.count(), "the demo touched the user's HVSIM_HOME");
        }
    }
}
