package org.hvsim.dom0.blkback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A raw image over a real file, read and written through segments as the backend's mapped pages are. */
class RawFileImageTest {
    @TempDir
    Path dir;

    private Path image(long size) throws IOException {
        Path p = dir.resolve("disk.img");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
        }
        return p;
    }

    private static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void writesLandAtTheirOffsetsInTheFileAndReadBackThroughMappedMemory() throws IOException {
        Path p = image(1 << 20);
        try (Arena arena = Arena.ofConfined(); RawFileImage img = RawFileImage.open(p, false)) {
            assertEquals(1 << 20, img.bytes());
            assertFalse(img.readOnly());
            MemorySegment page = arena.allocate(4096, 4096);
            for (int i = 0; i < 4096; i++) {
                page.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7 + 3));
            }
            img.write(8192 + 512, page);
            img.flush();
            byte[] onDisk = Files.readAllBytes(p);
            assertArrayEquals(bytes(page), Arrays.copyOfRange(onDisk, 8192 + 512, 8192 + 512 + 4096));
            assertEquals(0, onDisk[8192 + 511], "nothing before it changed");

            MemorySegment back = arena.allocate(4096, 4096);
            img.read(8192 + 512, back);
            assertArrayEquals(bytes(page), bytes(back));
        }
    }

    @Test
    void aMappedFileSegmentIsServedDirectly() throws IOException {
        // The backend's pages are a MemorySegment of a mapped file (machine memory): reads go into it.
        Path p = image(64 * 1024);
        Path machine = dir.resolve("machine.mem");
        try (FileChannel m = FileChannel.open(machine, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); Arena arena = Arena.ofConfined(); RawFileImage img = RawFileImage.open(p, false)) {
            MemorySegment mem = m.map(FileChannel.MapMode.READ_WRITE, 0, 16 * 4096, arena);
            MemorySegment frame = mem.asSlice(3 * 4096, 4096);
            frame.fill((byte) 0x5a);
            img.write(0, frame);
            frame.fill((byte) 0);
            img.read(0, frame);
            assertEquals((byte) 0x5a, frame.get(ValueLayout.JAVA_BYTE, 4095));
        }
    }

    @Test
    void writeZeroesAndDiscardLeaveZerosOnlyInTheirRange() throws IOException {
        Path p = image(256 * 1024);
        try (Arena arena = Arena.ofConfined(); RawFileImage img = RawFileImage.open(p, false)) {
            MemorySegment ones = arena.allocate(256 * 1024);
            ones.fill((byte) 1);
            img.write(0, ones);
            img.writeZeroes(512, 100 * 1024);
            img.discard(200 * 1024, 512);
            byte[] data = Files.readAllBytes(p);
            assertEquals(1, data[511]);
            for (int i = 512; i < 512 + 100 * 1024; i++) {
                assertEquals(0, data[i], "byte " + i);
            }
            assertEquals(1, data[512 + 100 * 1024]);
            assertEquals(0, data[200 * 1024 + 511]);
            assertEquals(1, data[200 * 1024 + 512]);
        }
    }

    @Test
    void anImageOnTmpfsIsInMemoryAndOneOnADiskIsNot() throws IOException {
        Path shm = Path.of("/dev/shm");
        assertEquals("tmpfs", Files.getFileStore(shm).type(), "hvsim's machine memory lives on /dev/shm, a tmpfs");
        Path inMemory = Files.createTempFile(shm, "hvsim-test-", ".img");
        try {
            Files.write(inMemory, new byte[4096]);
            try (RawFileImage img = RawFileImage.open(inMemory, true)) {
                assertTrue(img.inMemory());
            }
        } finally {
            Files.deleteIfExists(inMemory);
        }
        Path here = Files.createTempFile(Path.of("target").toAbsolutePath(), "hvsim-test-", ".img");
        try {
            Files.write(here, new byte[4096]);
            try (RawFileImage img = RawFileImage.open(here, true)) {
                assertEquals(List.of("tmpfs", "ramfs").contains(Files.getFileStore(here).type()), img.inMemory());
            }
        } finally {
            Files.deleteIfExists(here);
        }
    }

    @Test
    void capacityIsWholeSectorsAndASubSectorFileOrANonFileIsRefused() throws IOException {
        try (RawFileImage img = RawFileImage.open(image(1000), true)) {
            assertEquals(512, img.bytes());
            assertTrue(img.readOnly());
        }
        IOException tiny = assertThrows(IOException.class, () -> RawFileImage.open(image(100), false));
        assertTrue(tiny.getMessage().endsWith("is smaller than one 512-byte sector"), tiny.getMessage());
        IOException notFile = assertThrows(IOException.class, () -> RawFileImage.open(dir, false));
        assertTrue(notFile.getMessage().endsWith("is not a regular file"), notFile.getMessage());
    }

    @Test
    void aReadOnlyImageCannotBeWrittenAtAll() throws IOException {
        Path p = image(4096);
        try (Arena arena = Arena.ofConfined(); RawFileImage img = RawFileImage.open(p, true)) {
            assertThrows(java.nio.channels.NonWritableChannelException.class,
                    () -> img.write(0, arena.allocate(512)));
        }
    }

    @Test
    void aFileThatShrankIsAnIoErrorNotZeros() throws IOException {
        Path p = image(8192);
        try (Arena arena = Arena.ofConfined(); RawFileImage img = RawFileImage.open(p, false)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.truncate(4096);
            }
            IOException e = assertThrows(IOException.class, () -> img.read(4096, arena.allocate(512)));
            assertTrue(e.getMessage().contains("shrank"), e.getMessage());
        }
    }
}
