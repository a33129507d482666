package org.hvsim.virtio.dma;

import java.util.Objects;
import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code length} bytes at {@code address} of {@code memory} that a device may read, and write if
 * {@code writable}: one buffer of a descriptor chain after translation. Offsets are relative to the region;
 * an access outside it, or a write to a device-readable region, is a device bug and throws unchecked.
 */
public record GuestRegion(GuestMemory memory, long address, long length, boolean writable) {

    public GuestRegion {
        Objects.requireNonNull(memory);
        if (length < 0) {
            throw new IllegalArgumentException("length " + length);
        }
    }

    public void read(long offset, byte[] dst, int dstOffset, int len) {
        check(offset, len);
        memory.read(address + offset, dst, dstOffset, len);
    }

    public void write(long offset, byte[] src, int srcOffset, int len) {
        checkWritable();
        check(offset, len);
        memory.write(address + offset, src, srcOffset, len);
    }

    public byte getByte(long offset) {
        check(offset, 1);
        return memory.getByte(address + offset);
    }

    public void putByte(long offset, byte value) {
        checkWritable();
        check(offset, 1);
        memory.putByte(address + offset, value);
    }

    /** The sub-region {@code [offset, offset+len)}. */
    public GuestRegion slice(long offset, long len) {
        check(offset, len);
        return new GuestRegion(memory, address + offset, len, writable);
    }

    private void check(long offset, long len) {
        if (offset < 0 || len < 0 || offset > length - len) {
            throw new IndexOutOfBoundsException("[" + offset + ", +" + len + ") outside a region of " + length);
        }
    }

    private void checkWritable() {
        if (!writable) {
            throw new IllegalStateException("write to a device-readable buffer at 0x" + Long.toHexString(address));
        }
    }
}
