package org.hvsim.dom0.blkback;

import java.lang.foreign.MemorySegment;

/**
 * {@code null:<size>}: a device that stores nothing, as Linux's null_blk without memory backing. Reads
 * leave the guest's buffer as it was and writes go nowhere, so a workload on it measures the I/O path
 * (rings, notifications, grant mappings) and nothing of storage.
 *
 * <p>Threads: any; it has no state.
 */
public final class NullImage implements BlockImage {
    private final long bytes;
    private final boolean readOnly;

    public NullImage(long bytes, boolean readOnly) {
        if (bytes <= 0 || bytes % ImageTarget.SECTOR != 0) {
            throw new IllegalArgumentException("size " + bytes + " is not a positive multiple of 512");
        }
        this.bytes = bytes;
        this.readOnly = readOnly;
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
    public void read(long offset, MemorySegment dst) {}

    @Override
    public void write(long offset, MemorySegment src) {}

    @Override
    public void flush() {}

    @Override
    public void discard(long offset, long length) {}

    @Override
    public void writeZeroes(long offset, long length) {}

    @Override
    public void close() {}
}
