package org.hvsim.tools.hvsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsAPid() throws Exception {
        Path file = dir.resolve("hypervisor.pid");
        PidFile.write(file, 1234);

        assertEquals("1234\n", Files.readString(file));
        assertEquals(OptionalLong.of(1234), PidFile.read(file));
    }

    @Test
    void noFileOrGarbageIsNoPid() throws Exception {
        assertEquals(OptionalLong.empty(), PidFile.read(dir.resolve("missing")));
        assertEquals(OptionalLong.empty(), PidFile.read(Files.writeString(dir.resolve("a"), "not a pid\n")));
        assertEquals(OptionalLong.empty(), PidFile.read(Files.writeString(dir.resolve("b"), "-5\n")));
        assertEquals(OptionalLong.empty(), PidFile.read(Files.writeString(dir.resolve("c"), "7".repeat(100))));
    }

    @Test
    void aLiveProcessIsTheHostOnlyIfItStartedBeforeThePidWasRecorded() throws Exception {
        long self = ProcessHandle.current().pid();
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();

        assertTrue(PidFile.liveProcess(self, started).isPresent());
        assertTrue(PidFile.liveProcess(self, started.minus(PidFile.START_TIME_SLACK).minusSeconds(1)).isEmpty(),
                "a process that started after the pid file was written is another process with a reused pid");

        Path file = dir.resolve("hypervisor.pid");
        PidFile.write(file, self);
        assertEquals(self, PidFile.liveHypervisor(file).orElseThrow().pid());
    }

    @Test
    void aDeadProcessIsNoHost() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path file = dir.resolve("hypervisor.pid");
        PidFile.write(file, gone.pid());

        assertTrue(PidFile.liveHypervisor(file).isEmpty());
        assertTrue(PidFile.liveHypervisor(dir.resolve("missing")).isEmpty());
    }
}
