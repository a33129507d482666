package org.hvsim.domu.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hvsim.hv.abi.ConsoleInterface;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.junit.jupiter.api.Test;

/** The console ring protocol against a ring page in heap memory, the test playing xenconsoled. */
class ConsoleRingTest {
    private static final long PAGE = Page.SIZE;
    private static final int OUT_SIZE = ConsoleInterface.OUT_SIZE;
    private static final int IN_SIZE = ConsoleInterface.IN_SIZE;

    private final SegmentGuestMemory m = SegmentGuestMemory.allocate(2L * Page.SIZE);

    /** The backend draining {@code out}: everything between out_cons and out_prod. */
    private byte[] drainOut() {
        int cons = m.getIntAcquire(PAGE + ConsoleInterface.OUT_CONS);
        int prod = m.getIntAcquire(PAGE + ConsoleInterface.OUT_PROD);
        byte[] b = new byte[prod - cons];
        for (int i = 0; i < b.length; i++) {
            b[i] = m.getByte(PAGE + ConsoleInterface.OUT + ConsoleInterface.maskIndex(cons + i, OUT_SIZE));
        }
        m.putIntRelease(PAGE + ConsoleInterface.OUT_CONS, prod);
        return b;
    }

    /** The backend filling {@code in}. */
    private void fillIn(byte[] b) {
        int prod = m.getIntAcquire(PAGE + ConsoleInterface.IN_PROD);
        for (int i = 0; i < b.length; i++) {
            m.putByte(PAGE + ConsoleInterface.IN + ConsoleInterface.maskIndex(prod + i, IN_SIZE), b[i]);
        }
        m.putIntRelease(PAGE + ConsoleInterface.IN_PROD, prod + b.length);
    }

    @Test
    void writesPublishAndNeverExceedTheFreeSpace() {
        ConsoleRing ring = new ConsoleRing(m, PAGE);
        byte[] big = new byte[3000];
        Arrays.fill(big, (byte) 'x');
        assertEquals(ConsoleInterface.OUT_SIZE, ring.write(m, big, 0, big.length));
        assertEquals(ConsoleInterface.OUT_SIZE, m.getIntAcquire(PAGE + ConsoleInterface.OUT_PROD));
        assertEquals(0, ring.write(m, big, 0, 1), "a full ring takes nothing");
        assertEquals(ConsoleInterface.OUT_SIZE, drainOut().length);
        assertEquals(3000 - OUT_SIZE, ring.write(m, big, OUT_SIZE, 3000 - OUT_SIZE));
        assertEquals(0, ring.protocolErrors());
    }

    @Test
    void writesWrapAroundTheRingAndTheIndexWrapsAround32Bits() {
        m.putInt(PAGE + ConsoleInterface.OUT_PROD, -5);
        m.putInt(PAGE + ConsoleInterface.OUT_CONS, -5);
        ConsoleRing ring = new ConsoleRing(m, PAGE);
        byte[] text = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        assertEquals(16, ring.write(m, text, 0, text.length));
        assertEquals(11, m.getIntAcquire(PAGE + ConsoleInterface.OUT_PROD));
        assertEquals('0', m.getByte(PAGE + ConsoleInterface.OUT + ConsoleInterface.OUT_SIZE - 5));
        assertEquals('5', m.getByte(PAGE + ConsoleInterface.OUT));
        assertArrayEquals(text, drainOut());
    }

    @Test
    void anUnbelievableBackendIndexMovesNothing() {
        ConsoleRing ring = new ConsoleRing(m, PAGE);
        m.putIntRelease(PAGE + ConsoleInterface.OUT_CONS, 100);
        assertEquals(-1, ring.outUsed(m));
        assertEquals(0, ring.write(m, new byte[10], 0, 10));
        m.putIntRelease(PAGE + ConsoleInterface.IN_PROD, ConsoleInterface.IN_SIZE + 1);
        assertEquals(0, ring.read(m, new byte[10], 0, 10));
        assertEquals(2, ring.protocolErrors());
        assertEquals(0, m.getIntAcquire(PAGE + ConsoleInterface.OUT_PROD));
        assertEquals(0, m.getIntAcquire(PAGE + ConsoleInterface.IN_CONS));
    }

    @Test
    void readsTakeWhatTheBackendWroteAndReleaseIt() {
        ConsoleRing ring = new ConsoleRing(m, PAGE);
        byte[] dst = new byte[8];
        assertEquals(0, ring.read(m, dst, 0, dst.length));
        fillIn("hello, world".getBytes(StandardCharsets.US_ASCII));
        assertEquals(8, ring.read(m, dst, 0, 8));
        assertEquals("hello, w", new String(dst, StandardCharsets.US_ASCII));
        assertEquals(8, m.getIntAcquire(PAGE + ConsoleInterface.IN_CONS));
        assertEquals(4, ring.read(m, dst, 2, 6));
        assertEquals("heorld", new String(dst, 0, 6, StandardCharsets.US_ASCII));
        byte[] wrapping = new byte[ConsoleInterface.IN_SIZE];
        for (int i = 0; i < wrapping.length; i++) {
            wrapping[i] = (byte) i;
        }
        fillIn(wrapping);
        byte[] back = new byte[ConsoleInterface.IN_SIZE];
        assertEquals(ConsoleInterface.IN_SIZE, ring.read(m, back, 0, back.length));
        assertArrayEquals(wrapping, back);
    }
}
