package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.hvsim.hv.abi.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MachineMemoryTest {
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = TestMachine.tempDir();
    }

    @AfterEach
    void tearDown() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Test
    void createsASparseFileOfTheRequestedSize() throws IOException {
        long bytes = 1L << 30;
        long usableBefore = Files.getFileStore(dir).getUsableSpace();
        try (MachineMemory m = MachineMemory.create(dir.resolve("mem"), bytes)) {
            assertEquals(bytes, Files.size(m.path()));
            assertEquals(bytes / Page.SIZE, m.frames());
            assertEquals(bytes, m.segment().byteSize());
            m.frame(12345).set(ValueLayout.JAVA_LONG, 0, 42L);
            long usedNow = usableBefore - Files.getFileStore(dir).getUsableSpace();
            assertTrue(usedNow < bytes / 4, "a 1 GiB machine with one written frame took " + usedNow + " bytes");
            assertEquals(0, m.frame(m.frames() - 1).get(ValueLayout.JAVA_LONG, Page.SIZE - 8));
        }
    }

    @Test
    void refusesWhenTheFileSystemHasTooLittleSpace() throws IOException {
        long usable = Files.getFileStore(dir).getUsableSpace();
        long tooBig = ((usable >> Page.SHIFT) + (1L << 18)) << Page.SHIFT;
        Path file = dir.resolve("mem");
        IOException e = assertThrows(IOException.class, () -> MachineMemory.create(file, tooBig));
        assertTrue(e.getMessage().contains("usable"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void createsExclusivelyAndRejectsPartialFrames() throws IOException {
        Path file = dir.resolve("mem");
        Files.createFile(file);
        assertThrows(FileAlreadyExistsException.class, () -> MachineMemory.create(file, Page.SIZE));
        assertTrue(Files.exists(file), "an existing file must be left alone");
        assertThrows(IllegalArgumentException.class, () -> MachineMemory.create(dir.resolve("odd"), Page.SIZE + 1));
        assertThrows(IllegalArgumentException.class, () -> MachineMemory.create(dir.resolve("zero"), 0));
    }

    @Test
    void twoMappingsSeeEachOthersWritesAndScrubsZeroBoth() throws IOException {
        try (MachineMemory hv = MachineMemory.create(dir.resolve("mem"), 64L * Page.SIZE);
             Arena arena = Arena.ofShared();
             FileChannel ch = FileChannel.open(hv.path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment dom0 = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size(), arena);
            hv.frame(7).set(ValueLayout.JAVA_LONG, 8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, dom0.get(ValueLayout.JAVA_LONG, 7L * Page.SIZE + 8));
            dom0.set(ValueLayout.JAVA_INT, 9L * Page.SIZE + 100, 77);
            assertEquals(77, hv.frame(9).get(ValueLayout.JAVA_INT, 100));

            hv.frame(8).fill((byte) 0x5a);
            hv.scrub(7, 2);
            for (long off = 7L * Page.SIZE; off < 9L * Page.SIZE; off += 8) {
                assertEquals(0, dom0.get(ValueLayout.JAVA_LONG, off), "dom0 sees a stale byte at " + off);
                assertEquals(0, hv.segment().get(ValueLayout.JAVA_LONG, off));
            }
            assertEquals(77, hv.frame(9).get(ValueLayout.JAVA_INT, 100), "scrub went past its range");
        }
    }

    @Test
    void openMapsAnExistingFileAndLeavesItOnClose() throws IOException {
        Path file = dir.resolve("mem");
        try (MachineMemory hv = MachineMemory.create(file, 16L * Page.SIZE)) {
            hv.frame(3).set(ValueLayout.JAVA_BYTE, 5, (byte) 9);
            try (MachineMemory dom0 = MachineMemory.open(file)) {
                assertEquals(16, dom0.frames());
                assertEquals(9, dom0.frame(3).get(ValueLayout.JAVA_BYTE, 5));
            }
            assertTrue(Files.exists(file));
        }
        assertFalse(Files.exists(file), "the creator's close deletes the file");
    }

    @Test
    void closeUnmapsAndIsIdempotent() throws IOException {
        MachineMemory m = MachineMemory.create(dir.resolve("mem"), 4L * Page.SIZE);
        MemorySegment frame = m.frame(1);
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> frame.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void frameAndScrubAreBoundsChecked() throws IOException {
        try (MachineMemory m = MachineMemory.create(dir.resolve("mem"), 4L * Page.SIZE)) {
            assertThrows(IndexOutOfBoundsException.class, () -> m.frame(4));
            assertThrows(IndexOutOfBoundsException.class, () -> m.frame(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> m.scrub(3, 2));
        }
    }
}
