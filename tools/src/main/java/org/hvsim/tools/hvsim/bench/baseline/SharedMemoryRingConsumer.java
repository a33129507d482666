package org.hvsim.tools.hvsim.bench.baseline;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The device end of {@link SharedMemoryRing}, in a process of its own: it polls the available index,
 * reads each descriptor and returns it on the used ring at once, until told to stop.
 *
 * <p>Threads: its main thread only.
 */
public final class SharedMemoryRingConsumer {
    private SharedMemoryRingConsumer() {}

    public static void main(String[] args) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_WRITE, 0, RingLayout.BYTES, arena);
            serve(m);
        }
    }

    static void serve(MemorySegment m) {
        int lastAvail = 0;
        int used = 0;
        RingLayout.releaseInt(m, RingLayout.READY, 1);
        long spins = 0;
        while (true) {
            int avail = RingLayout.acquireShort(m, RingLayout.AVAIL + 2);
            if (avail == lastAvail) {
                if ((++spins & 0xfff) == 0 && RingLayout.acquireInt(m, RingLayout.STOP) != 0) {
                    return;
                }
                Thread.onSpinWait();
                continue;
            }
            while (lastAvail != avail) {
                int head = Short.toUnsignedInt(m.get(ValueLayout.JAVA_SHORT_UNALIGNED,
                        RingLayout.AVAIL + 4 + 2L * (lastAvail % RingLayout.SIZE)));
                long desc = RingLayout.DESC + 16L * (head % RingLayout.SIZE);
                int len = m.get(ValueLayout.JAVA_INT_UNALIGNED, desc + 8);
                long slot = RingLayout.USED + 4 + 8L * (used % RingLayout.SIZE);
                m.set(ValueLayout.JAVA_INT_UNALIGNED, slot, head);
                m.set(ValueLayout.JAVA_INT_UNALIGNED, slot + 4, len);
                used = (used + 1) & 0xffff;
                lastAvail = (lastAvail + 1) & 0xffff;
            }
            RingLayout.releaseShort(m, RingLayout.USED + 2, used);
        }
    }
}
