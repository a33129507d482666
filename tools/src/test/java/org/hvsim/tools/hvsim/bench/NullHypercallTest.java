package org.hvsim.tools.hvsim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class NullHypercallTest {
    @Test
    void readsTheLineHcbenchPrints() {
        // What domu-kernel's HypercallBenchApp prints (its format, copied from a real console log).
        String log = "minios: running app hcbench\n"
                + "hcbench: 1000000 null hypercalls: mean 67.0 ns, best round 22.2 ns per call (3)\n";
        Matcher m = NullHypercall.LINE.matcher(log);
        assertTrue(m.find());
        assertEquals("1000000", m.group(1));
        assertEquals("67.0", m.group(2));
        assertEquals("22.2", m.group(3));
    }
}
