package org.hvsim.hv.abi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest memory that is one contiguous {@link MemorySegment} starting at guest-physical address
 * {@code base}. Used for a heap-backed test memory, for a single mapped frame, and for dom0's
 * hypercall bounce buffers. Thread-safe as {@link GuestMemory} describes.
 */
public final class SegmentGuestMemory extends SegmentBackedGuestMemory {

    private final MemorySegment segment;
    private final long base;

    public SegmentGuestMemory(MemorySegment segment, long base) {
        this.segment = segment;
        this.base = base;
    }

    /** A zeroed heap memory of {@code size} bytes at guest-physical address 0 (8-byte aligned). */
    public static SegmentGuestMemory allocate(long size) {
        return new SegmentGuestMemory(Arena.ofAuto().allocate(size, 8), 0);
    }

    /** A heap memory over a copy of {@code bytes}, at guest-physical address {@code base}. */
    public static SegmentGuestMemory copyOf(byte[] bytes, long base) {
        MemorySegment s = Arena.ofAuto().allocate(Math.max(bytes.length, 1), 8);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return new SegmentGuestMemory(s.asSlice(0, bytes.length), base);
    }

    public MemorySegment segment() {
        return segment;
    }

    public long base() {
        return base;
    }

    public long size() {
        return segment.byteSize();
    }

    private long offset(long address, long length) {
        long off = address - base;
        if (length < 0 || off < 0 || off > segment.byteSize() - length) {
            throw new GuestMemoryFault(address, "outside [0x" + Long.toHexString(base) + ", 0x"
                    + Long.toHexString(base + segment.byteSize()) + ") for " + length + " bytes");
        }
        return off;
    }

    @Override
    MemorySegment backing() {
        return segment;
    }

    @Override
    long aligned(long address, int size) {
        if ((address & (size - 1)) != 0) {
            throw new GuestMemoryFault(address, "misaligned " + size + "-byte atomic access");
        }
        long off = offset(address, size);
        if (((segment.address() + off) & (size - 1)) != 0) {
            throw new GuestMemoryFault(address, "backing segment not aligned for " + size + "-byte atomics");
        }
        return off;
    }

    @Override public byte getByte(long a) { return segment.get(ValueLayout.JAVA_BYTE, offset(a, 1)); }
    @Override public void putByte(long a, byte v) { segment.set(ValueLayout.JAVA_BYTE, offset(a, 1), v); }
    @Override public short getShort(long a) { return segment.get(SHORT, offset(a, 2)); }
    @Override public void putShort(long a, short v) { segment.set(SHORT, offset(a, 2), v); }
    @Override public int getInt(long a) { return segment.get(INT, offset(a, 4)); }
    @Override public void putInt(long a, int v) { segment.set(INT, offset(a, 4), v); }
    @Override public long getLong(long a) { return segment.get(LONG, offset(a, 8)); }
    @Override public void putLong(long a, long v) { segment.set(LONG, offset(a, 8), v); }

    @Override
    public void read(long a, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset(a, len), dst, off, len);
    }

    @Override
    public void write(long a, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        MemorySegment.copy(src, off, segment, ValueLayout.JAVA_BYTE, offset(a, len), len);
    }

    @Override
    public void read(long a, MemorySegment dst, long dstOffset, long len) {
        MemorySegment.copy(segment, offset(a, len), dst, dstOffset, len);
    }

    @Override
    public void write(long a, MemorySegment src, long srcOffset, long len) {
        MemorySegment.copy(src, srcOffset, segment, offset(a, len), len);
    }

    @Override
    public void fill(long a, long len, byte value) {
        segment.asSlice(offset(a, len), len).fill(value);
    }

    @Override
    public boolean isAccessible(long a, long len) {
        long off = a - base;
        return len >= 0 && off >= 0 && off <= segment.byteSize() - len;
    }
}
