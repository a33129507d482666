package org.hvsim.dom0.blkback;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw image file (format=raw): byte {@code n} of the disk is byte {@code n} of the file. Reads and
 * writes are positional ({@code pread}/{@code pwrite}), so requests in flight never share a file
 * position; the guest's mapped pages are handed to the channel as they are (a segment of machine
 * memory is a direct buffer), with no copy in between. Its capacity is the file's size rounded down to
 * whole 512-byte sectors, fixed when it is opened. FLUSH is {@code fdatasync} ({@link
 * FileChannel#force force(false)}): the size never changes, so the data is all that must reach the disk.
 * DISCARD writes zeros, as WRITE_ZEROES does (Java cannot punch holes; a discarded range may read as
 * anything, so zeros are allowed).
 *
 * <p>Threads: any number of request threads (FileChannel's positional calls are safe to use at once).
 */
public final class RawFileImage implements BlockImage {
    private static final java.util.Set<String> MEMORY_FILE_SYSTEMS = java.util.Set.of("tmpfs", "ramfs");
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final Path path;
    private final FileChannel channel;
    private final long bytes;
    private final boolean readOnly;
    private final boolean inMemory;

    private RawFileImage(Path path, FileChannel channel, long bytes, boolean readOnly, boolean inMemory) {
        this.path = path;
        this.channel = channel;
        this.bytes = bytes;
        this.readOnly = readOnly;
        this.inMemory = inMemory;
    }

    /**
     * Opens {@code path} for reading, and writing unless {@code readOnly}.
     *
     * @throws IOException if it is not a regular file, cannot be opened so, or is smaller than a sector
     */
    public static RawFileImage open(Path path, boolean readOnly) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + " is not a regular file");
        }
        FileChannel ch = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = ch.size() / ImageTarget.SECTOR * ImageTarget.SECTOR;
        if (size == 0) {
            ch.close();
            throw new IOException(path + " is smaller than one 512-byte sector");
        }
        return new RawFileImage(path, ch, size, readOnly, MEMORY_FILE_SYSTEMS.contains(fileSystemType(path)));
    }

    public Path path() {
        return path;
    }

    /** On tmpfs or ramfs: the file's pages are memory, and nothing waits for a disk. */
    @Override
    public boolean inMemory() {
        return inMemory;
    }

    private static String fileSystemType(Path path) {
        try {
            return Files.getFileStore(path).type();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, MemorySegment dst) throws IOException {
        ByteBuffer buf = dst.asByteBuffer();
        while (buf.hasRemaining()) {
            int n = channel.read(buf, offset + buf.position());
            if (n < 0) {
                throw new EOFException(path + " ends at " + channel.size() + " bytes; read at "
                        + (offset + buf.position()) + " (the file shrank after it was opened)");
            }
        }
    }

    @Override
    public void write(long offset, MemorySegment src) throws IOException {
        writeAll(src.asByteBuffer(), offset);
    }

    private void writeAll(ByteBuffer buf, long offset) throws IOException {
        long at = offset;
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        writeZeroes(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        long done = 0;
        while (done < length) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), length - done));
            int n = zeros.remaining();
            writeAll(zeros, offset + done);
            done += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
