package org.hvsim.hv.abi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What the {@link GuestMemory} implementations over a {@link MemorySegment} share: the little-endian layouts
 * (x86's byte order) and the atomic accesses, each on the segment offset that {@link #aligned} finds for a
 * guest-physical address. Subclasses translate addresses; they are as thread-safe as {@link GuestMemory} says.
 */
abstract sealed class SegmentBackedGuestMemory implements GuestMemory
        permits SegmentGuestMemory, FrameTableGuestMemory {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_ATOMIC = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle INT_ATOMIC = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle LONG_ATOMIC = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    /** The segment {@link #aligned} offsets point into. */
    abstract MemorySegment backing();

    /**
     * The segment offset of the naturally aligned {@code size}-byte item at guest-physical {@code address};
     * a {@link GuestMemoryFault} if it is misaligned or not mapped.
     */
    abstract long aligned(long address, int size);

    @Override public final short getShortAcquire(long a) { return (short) SHORT_ATOMIC.getAcquire(backing(), aligned(a, 2)); }
    @Override public final void putShortRelease(long a, short v) { SHORT_ATOMIC.setRelease(backing(), aligned(a, 2), v); }
    @Override public final int getIntAcquire(long a) { return (int) INT_ATOMIC.getAcquire(backing(), aligned(a, 4)); }
    @Override public final void putIntRelease(long a, int v) { INT_ATOMIC.setRelease(backing(), aligned(a, 4), v); }
    @Override public final long getLongAcquire(long a) { return (long) LONG_ATOMIC.getAcquire(backing(), aligned(a, 8)); }
    @Override public final void putLongRelease(long a, long v) { LONG_ATOMIC.setRelease(backing(), aligned(a, 8), v); }

    @Override
    public final long getAndBitwiseOrLong(long a, long mask) {
        return (long) LONG_ATOMIC.getAndBitwiseOr(backing(), aligned(a, 8), mask);
    }

    @Override
    public final long getAndBitwiseAndLong(long a, long mask) {
        return (long) LONG_ATOMIC.getAndBitwiseAnd(backing(), aligned(a, 8), mask);
    }

    @Override
    public final int compareAndExchangeInt(long a, int expected, int newValue) {
        return (int) INT_ATOMIC.compareAndExchange(backing(), aligned(a, 4), expected, newValue);
    }
}
