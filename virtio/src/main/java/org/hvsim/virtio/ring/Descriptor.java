package org.hvsim.virtio.ring;

import org.hvsim.hv.abi.GuestMemory;

/**
 * One {@code struct virtq_desc} (16 bytes), as read once from guest memory. {@code len} is an unsigned 32-bit
 * value held in a long; {@code flags} and {@code next} are unsigned 16-bit values.
 */
public record Descriptor(long addr, long len, int flags, int next) {

    public static final int SIZE = 16;
    /** VIRTQ_DESC_F_NEXT: the chain continues at {@code next}. */
    public static final int F_NEXT = 1;
    /** VIRTQ_DESC_F_WRITE: device-writable (otherwise device-readable). */
    public static final int F_WRITE = 2;
    /** VIRTQ_DESC_F_INDIRECT: the buffer holds a table of descriptors. */
    public static final int F_INDIRECT = 4;

    public static Descriptor read(GuestMemory memory, long address) {
        return new Descriptor(memory.getLong(address), memory.getUnsignedInt(address + 8),
                memory.getUnsignedShort(address + 12), memory.getUnsignedShort(address + 14));
    }

    public void write(GuestMemory memory, long address) {
        memory.putLong(address, addr);
        memory.putInt(address + 8, (int) len);
        memory.putShort(address + 12, (short) flags);
        memory.putShort(address + 14, (short) next);
    }

    public boolean hasNext() {
        return (flags & F_NEXT) != 0;
    }

    public boolean isWritable() {
        return (flags & F_WRITE) != 0;
    }

    public boolean isIndirect() {
        return (flags & F_INDIRECT) != 0;
    }
}
