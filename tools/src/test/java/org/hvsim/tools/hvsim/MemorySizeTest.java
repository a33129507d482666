package org.hvsim.tools.hvsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemorySizeTest {
    @Test
    void unitsAsXlReadsThemAndMibWithoutOne() {
        assertEquals(512L << 20, MemorySize.parseBytes("512"));
        assertEquals(512L << 20, MemorySize.parseBytes("512M"));
        assertEquals(4L << 30, MemorySize.parseBytes("4G"));
        assertEquals(4L << 30, MemorySize.parseBytes("4g"));
        assertEquals(1L << 40, MemorySize.parseBytes("1t"));
        assertEquals(64L << 10, MemorySize.parseBytes("64k"));
        assertEquals(4096, MemorySize.parseBytes("4096b"));
    }

    @Test
    void whatIsNotASize() {
        for (String bad : new String[] {"", "G", "-1G", "4GB", "4 G", "0", "0M", "1.5G", "9999999999T",
            "99999999999999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> MemorySize.parseBytes(bad), bad);
        }
    }
}
