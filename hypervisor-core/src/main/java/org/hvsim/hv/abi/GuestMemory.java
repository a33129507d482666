package org.hvsim.hv.abi;

import java.lang.foreign.MemorySegment;

/**
 * Guest-physical memory as one domain (or a backend acting for it) sees it: the only way guest code
 * and hypervisor code touch a guest's memory. Addresses are guest-physical byte addresses; multi-byte
 * values are little-endian, as on x86. Every access is bounds- and ownership-checked and fails with
 * {@link GuestMemoryFault}; accesses that cross a page boundary are handled inside.
 *
 * <p>The {@code *Acquire}/{@code *Release} and atomic methods are for fields shared with another
 * processor or process (ring indices, event bitmaps, grant flags). They require natural alignment.
 *
 * <p>Implementations are safe for concurrent use by several threads; concurrent plain accesses to
 * the same bytes are racy exactly as on real hardware.
 */
public interface GuestMemory {

    byte getByte(long address);

    void putByte(long address, byte value);

    short getShort(long address);

    void putShort(long address, short value);

    int getInt(long address);

    void putInt(long address, int value);

    long getLong(long address);

    void putLong(long address, long value);

    /** Copies {@code length} bytes at {@code address} into {@code dst[offset..]}. */
    void read(long address, byte[] dst, int offset, int length);

    /** Copies {@code src[offset..offset+length)} to {@code address}. */
    void write(long address, byte[] src, int offset, int length);

    /** Copies {@code length} bytes at {@code address} into {@code dst} at {@code dstOffset}. */
    void read(long address, MemorySegment dst, long dstOffset, long length);

    /** Copies {@code length} bytes of {@code src} at {@code srcOffset} to {@code address}. */
    void write(long address, MemorySegment src, long srcOffset, long length);

    /** Sets {@code length} bytes at {@code address} to {@code value}. */
    void fill(long address, long length, byte value);

    short getShortAcquire(long address);

    void putShortRelease(long address, short value);

    int getIntAcquire(long address);

    void putIntRelease(long address, int value);

    long getLongAcquire(long address);

    void putLongRelease(long address, long value);

    /** Atomically {@code *address |= mask}; returns the previous value. */
    long getAndBitwiseOrLong(long address, long mask);

    /** Atomically {@code *address &= mask}; returns the previous value. */
    long getAndBitwiseAndLong(long address, long mask);

    /** Atomic compare-and-exchange of a 32-bit value; returns the witness value. */
    int compareAndExchangeInt(long address, int expected, int newValue);

    /** Whether {@code [address, address+length)} is entirely accessible. */
    boolean isAccessible(long address, long length);

    default int getUnsignedShort(long address) {
        return Short.toUnsignedInt(getShort(address));
    }

    default int getUnsignedByte(long address) {
        return Byte.toUnsignedInt(getByte(address));
    }

    default long getUnsignedInt(long address) {
        return Integer.toUnsignedLong(getInt(address));
    }

    default byte[] readBytes(long address, int length) {
        byte[] b = new byte[length];
        read(address, b, 0, length);
        return b;
    }

    default void write(long address, byte[] src) {
        write(address, src, 0, src.length);
    }
}
