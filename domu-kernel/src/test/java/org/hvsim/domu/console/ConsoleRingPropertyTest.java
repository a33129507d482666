package org.hvsim.domu.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.hvsim.hv.abi.ConsoleInterface;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;

/** Any interleaving of guest writes and partial backend drains delivers every byte once, in order. */
class ConsoleRingPropertyTest {
    private static final long PAGE = 0;

    @Property
    void outputArrivesWholeAndInOrder(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 3000) Integer> writes,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 2500) Integer> drains,
            @ForAll int startIndex) {
        SegmentGuestMemory m = SegmentGuestMemory.allocate(Page.SIZE);
        m.putInt(PAGE + ConsoleInterface.OUT_PROD, startIndex);
        m.putInt(PAGE + ConsoleInterface.OUT_CONS, startIndex);
        ConsoleRing ring = new ConsoleRing(m, PAGE);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte next = 0;
        int d = 0;
        for (int len : writes) {
            byte[] data = new byte[len];
            for (int i = 0; i < len; i++) {
                data[i] = next++;
            }
            int off = 0;
            while (off < len) {
                int n = ring.write(m, data, off, len - off);
                assertTrue(n >= 0 && ring.outUsed(m) <= ConsoleInterface.OUT_SIZE);
                off += n;
                if (n == 0) {
                    drain(m, drains.get(d++ % drains.size()) + 1, received);
                }
            }
            sent.write(data, 0, len);
        }
        drain(m, Integer.MAX_VALUE, received);
        assertArrayEquals(sent.toByteArray(), received.toByteArray());
    }

    /** The backend takes at most {@code max} bytes. */
    private static void drain(SegmentGuestMemory m, int max, ByteArrayOutputStream to) {
        int cons = m.getIntAcquire(PAGE + ConsoleInterface.OUT_CONS);
        int prod = m.getIntAcquire(PAGE + ConsoleInterface.OUT_PROD);
        int n = Math.min(max, prod - cons);
        for (int i = 0; i < n; i++) {
            int at = ConsoleInterface.maskIndex(cons + i, ConsoleInterface.OUT_SIZE);
            to.write(m.getByte(PAGE + ConsoleInterface.OUT + at));
        }
        m.putIntRelease(PAGE + ConsoleInterface.OUT_CONS, cons + n);
    }
}
