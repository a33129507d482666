package org.hvsim.dom0.blkback;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A disk's storage as the backend uses it: byte offsets (the backend has already checked that a
 * request lies within {@link #bytes()}), and data moved between the storage and a segment of the guest's
 * mapped memory with no copy in between. A failure is an {@link IOException}, which the backend answers
 * with VIRTIO_BLK_S_IOERR.
 *
 * <p>Threads: any number of request threads at once; {@link #close} once, after them.
 */
public interface BlockImage extends AutoCloseable {
    /** Capacity in bytes (a multiple of 512). */
    long bytes();

    boolean readOnly();

    /** Fills {@code dst} from {@code offset}. */
    void read(long offset, MemorySegment dst) throws IOException;

    /** Writes {@code src} at {@code offset}. */
    void write(long offset, MemorySegment src) throws IOException;

    /** Makes every write completed so far durable (VIRTIO_BLK_T_FLUSH). */
    void flush() throws IOException;

    /** Reads of the range may return zeros from now on (VIRTIO_BLK_T_DISCARD). */
    void discard(long offset, long length) throws IOException;

    /** Reads of the range return zeros from now on (VIRTIO_BLK_T_WRITE_ZEROES). */
    void writeZeroes(long offset, long length) throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Whether reads and writes never wait for a device (the data lives in memory, as on tmpfs), so a small
     * request costs less done at once than handed to a worker thread.
     */
    default boolean inMemory() {
        return false;
    }
}
