package org.hvsim.tools.hvsim.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoScriptTest {
    @TempDir
    Path dir;

    /** Records each command; the one whose words equal {@code failing} exits 1. */
    private static final class RecordingShell implements DemoShell {
        final List<String> commands = new ArrayList<>();
        final String failing;

        RecordingShell(String failing) {
            this.failing = failing;
        }

        @Override
        public int hvsim(String... args) {
            return record("hvsim " + String.join(" ", args));
        }

        @Override
        public int xl(String... args) {
            return record("xl " + String.join(" ", args));
        }

        @Override
        public int lsevtchn(String... args) {
            return record("lsevtchn " + String.join(" ", args));
        }

        private int record(String command) {
            commands.add(command);
            return command.equals(failing) ? 1 : 0;
        }
    }

    @Test
    void theTourStartsCreatesListsShowsAConsoleAndStops() throws IOException {
        RecordingShell shell = new RecordingShell(null);
        StringWriter out = new StringWriter();
        int exit = new DemoScript(new PrintWriter(out), shell, dir).run(List.of("--memory", "1G"));
        assertEquals(0, exit);
        assertEquals(List.of(
                "hvsim start --memory 1G",
                "xl create " + dir.resolve("idle.cfg"),
                "xl create " + dir.resolve("cpuburn.cfg"),
                "xl list",
                "xl vcpu-list",
                "lsevtchn -v idle",
                "xl create -c " + dir.resolve("hello.cfg"),
                "xl pause idle",
                "xl list idle",
                "xl unpause idle",
                "xl list idle",
                "xl shutdown -w idle",
                "xl destroy cpuburn",
                "xl list",
                "hvsim stop"), shell.commands);
        assertTrue(out.toString().contains("\n$ xl vcpu-list\n"), out.toString());
        for (String cfg : List.of("idle.cfg", "cpuburn.cfg", "hello.cfg")) {
            assertTrue(Files.readString(dir.resolve(cfg)).contains("cmdline = \"app="), cfg);
        }
    }

    @Test
    void aFailedStepEndsTheTourButTheHostIsStillStopped() throws IOException {
        RecordingShell shell = new RecordingShell("xl vcpu-list");
        StringWriter out = new StringWriter();
        int exit = new DemoScript(new PrintWriter(out), shell, dir).run(List.of());
        assertEquals(1, exit);
        assertEquals(List.of("xl vcpu-list", "hvsim stop"), shell.commands.subList(shell.commands.size() - 2,
                shell.commands.size()));
        assertTrue(out.toString().contains("`xl vcpu-list' failed (exit 1); stopping the host"), out.toString());
    }

    @Test
    void aHostThatDoesNotStartIsNotStopped() throws IOException {
        RecordingShell shell = new RecordingShell("hvsim start");
        int exit = new DemoScript(new PrintWriter(new StringWriter()), shell, dir).run(List.of());
        assertEquals(1, exit);
        assertEquals(List.of("hvsim start"), shell.commands);
    }

    @Test
    void aFailedStopFailsAnOtherwiseGoodTour() throws IOException {
        RecordingShell shell = new RecordingShell("hvsim stop");
        assertEquals(1, new DemoScript(new PrintWriter(new StringWriter()), shell, dir).run(List.of()));
    }
}
