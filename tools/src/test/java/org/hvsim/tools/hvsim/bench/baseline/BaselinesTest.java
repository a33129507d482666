package org.hvsim.tools.hvsim.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native baselines do the work they claim (what they measure is for the benchmark, not for tests). */
class BaselinesTest {
    @TempDir
    Path dir;

    @Test
    void positionalIoReadsAndWritesWholeBlocksOfTheFile() throws IOException {
        Path f = dir.resolve("img");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), (1 << 20) - 1);
        }
        for (PositionalIo.Mode mode : PositionalIo.Mode.values()) {
            PositionalIo.Result r = PositionalIo.run(f, mode, 4096, 4, TimeUnit.MILLISECONDS.toNanos(50));
            assertTrue(r.ops() >= 4, "each worker did at least one block: " + mode + ": " + r);
            assertEquals(r.ops() * 4096, r.bytes());
        }
        assertEquals(1 << 20, Files.size(f), "sequential writes stay inside the file");
    }

    @Test
    void theRingCarriesMessagesBetweenTwoProcessesAndStopsItsConsumer() throws Exception {
        long before = ProcessHandle.current().children().count();
        SharedMemoryRing.Result r = SharedMemoryRing.run(dir, 32, 4096, TimeUnit.MILLISECONDS.toNanos(50),
                TimeUnit.MILLISECONDS.toNanos(200));
        assertTrue(r.messages() >= 32, "at least a round of the ring: " + r);
        assertEquals(before, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(),
                "the consumer process has ended");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the shared file is removed");
        }
    }
}
