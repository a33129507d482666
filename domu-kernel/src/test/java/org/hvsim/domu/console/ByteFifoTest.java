package org.hvsim.domu.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteFifoTest {

    @Test
    void bytesComeOutInOrderAcrossTheWrap() {
        ByteFifo f = new ByteFifo(4);
        f.put(new byte[] {1, 2, 3}, 0, 3);
        byte[] out = new byte[4];
        assertEquals(2, f.take(out, 0, 2));
        f.put(new byte[] {9, 4, 5, 6}, 1, 3);
        assertEquals(0, f.free());
        assertThrows(IllegalArgumentException.class, () -> f.put(new byte[] {7}, 0, 1));
        assertEquals(4, f.take(out, 0, 10));
        assertArrayEquals(new byte[] {3, 4, 5, 6}, out);
        assertEquals(0, f.size());
        assertEquals(0, f.take(out, 0, 4));
    }
}
