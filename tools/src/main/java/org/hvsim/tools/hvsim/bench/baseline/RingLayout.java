package org.hvsim.tools.hvsim.bench.baseline;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The shared file of {@link SharedMemoryRing}: a split virtqueue's three areas for {@value #SIZE} entries,
 * one page each (descriptor table, available ring, used ring), and a control page (consumer ready, stop).
 * Indices are read with acquire and published with release, as a virtqueue's are.
 *
 * <p>Threads: one producer process and one consumer process, through the mapping.
 */
final class RingLayout {
    static final int SIZE = 256;
    static final long DESC = 0;
    static final long AVAIL = 4096;
    static final long USED = 8192;
    static final long CONTROL = 12288;
    static final long BYTES = 16384;
    static final long READY = CONTROL;
    static final long STOP = CONTROL + 4;

    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private RingLayout() {}

    static int acquireShort(MemorySegment m, long at) {
        return Short.toUnsignedInt((short) SHORT.getAcquire(m, at));
    }

    static void releaseShort(MemorySegment m, long at, int v) {
        SHORT.setRelease(m, at, (short) v);
    }

    static int acquireInt(MemorySegment m, long at) {
        return (int) INT.getAcquire(m, at);
    }

    static void releaseInt(MemorySegment m, long at, int v) {
        INT.setRelease(m, at, v);
    }
}
