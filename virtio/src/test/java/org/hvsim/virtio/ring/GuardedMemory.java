package org.hvsim.virtio.ring;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.hvsim.hv.abi.GuestMemory;

/**
 * A test view of a {@link GuestMemory} that lets the device read only {@code readable} ranges and write only
 * {@code writable} ranges, failing with an {@link AssertionError} (a finding, not a guest fault) otherwise,
 * and counts accesses so a test can bound the work one call does.
 */
final class GuardedMemory implements GuestMemory {

    /** {@code [start, end)}. */
    record Range(long start, long end) {
        boolean holds(long a, long len) {
            return len >= 0 && a >= start && a <= end - len;
        }
    }

    private final GuestMemory inner;
    private final List<Range> readable;
    private final List<Range> writable;
    private long accesses;

    GuardedMemory(GuestMemory inner, List<Range> readable, List<Range> writable) {
        this.inner = inner;
        this.readable = readable;
        this.writable = writable;
    }

    long accesses() {
        return accesses;
    }

    private void r(long a, long len) {
        accesses++;
        if (readable.stream().noneMatch(x -> x.holds(a, len)) && writable.stream().noneMatch(x -> x.holds(a, len))) {
            throw new AssertionError(String.format("device read [0x%x, +%d) outside the ring and buffers", a, len));
        }
    }

    private void w(long a, long len) {
        accesses++;
        if (writable.stream().noneMatch(x -> x.holds(a, len))) {
            throw new AssertionError(String.format("device wrote [0x%x, +%d) outside the used ring and buffers", a, len));
        }
    }

    @Override public byte getByte(long a) { r(a, 1); return inner.getByte(a); }
    @Override public void putByte(long a, byte v) { w(a, 1); inner.putByte(a, v); }
    @Override public short getShort(long a) { r(a, 2); return inner.getShort(a); }
    @Override public void putShort(long a, short v) { w(a, 2); inner.putShort(a, v); }
    @Override public int getInt(long a) { r(a, 4); return inner.getInt(a); }
    @Override public void putInt(long a, int v) { w(a, 4); inner.putInt(a, v); }
    @Override public long getLong(long a) { r(a, 8); return inner.getLong(a); }
    @Override public void putLong(long a, long v) { w(a, 8); inner.putLong(a, v); }
    @Override public void read(long a, byte[] dst, int off, int len) { r(a, len); inner.read(a, dst, off, len); }
    @Override public void write(long a, byte[] src, int off, int len) { w(a, len); inner.write(a, src, off, len); }
    @Override public void read(long a, MemorySegment dst, long off, long len) { r(a, len); inner.read(a, dst, off, len); }
    @Override public void write(long a, MemorySegment src, long off, long len) { w(a, len); inner.write(a, src, off, len); }
    @Override public void fill(long a, long len, byte v) { w(a, len); inner.fill(a, len, v); }
    @Override public short getShortAcquire(long a) { r(a, 2); return inner.getShortAcquire(a); }
    @Override public void putShortRelease(long a, short v) { w(a, 2); inner.putShortRelease(a, v); }
    @Override public int getIntAcquire(long a) { r(a, 4); return inner.getIntAcquire(a); }
    @Override public void putIntRelease(long a, int v) { w(a, 4); inner.putIntRelease(a, v); }
    @Override public long getLongAcquire(long a) { r(a, 8); return inner.getLongAcquire(a); }
    @Override public void putLongRelease(long a, long v) { w(a, 8); inner.putLongRelease(a, v); }

    @Override
    public long getAndBitwiseOrLong(long a, long mask) {
        w(a, 8);
        return inner.getAndBitwiseOrLong(a, mask);
    }

    @Override
    public long getAndBitwiseAndLong(long a, long mask) {
        w(a, 8);
        return inner.getAndBitwiseAndLong(a, mask);
    }

    @Override
    public int compareAndExchangeInt(long a, int expected, int newValue) {
        w(a, 4);
        return inner.compareAndExchangeInt(a, expected, newValue);
    }

    @Override
    public boolean isAccessible(long a, long len) {
        return inner.isAccessible(a, len);
    }
}
