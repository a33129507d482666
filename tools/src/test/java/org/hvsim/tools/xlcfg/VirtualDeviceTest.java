package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class VirtualDeviceTest {

    @Test
    void numbersFromXenVbdInterface() {
        assertEquals(51712, VirtualDevice.number("xvda"));
        assertEquals(51728, VirtualDevice.number("xvdb"));
        assertEquals(51713, VirtualDevice.number("xvda1"));
        assertEquals((202 << 8) | (1 << 4) | 2, VirtualDevice.number("xvdb2"));
        assertEquals((1 << 28) | (16 << 8), VirtualDevice.number("xvdq"));
        assertEquals((1 << 28) | (536 << 8) | 37, VirtualDevice.number("xvdtq37"));
        assertEquals((1 << 28) | (536 << 8) | 37, VirtualDevice.number("d536p37"));
        assertEquals((1 << 28) | 16, VirtualDevice.number("xvda16"));
        assertEquals(51712, VirtualDevice.number("d0p0"));
        assertEquals(51712, VirtualDevice.number("d0"));
        assertEquals((8 << 8) | (1 << 4) | 3, VirtualDevice.number("sdb3"));
        assertEquals((3 << 8) | 1, VirtualDevice.number("hda1"));
        assertEquals(768, VirtualDevice.number("hda"));
        assertEquals((3 << 8) | (1 << 6), VirtualDevice.number("hdb"));
        assertEquals((22 << 8) | 2, VirtualDevice.number("hdc2"));
        assertEquals((22 << 8) | (1 << 6) | 63, VirtualDevice.number("hdd63"));
        assertEquals(51712, VirtualDevice.number("51712"));
        assertEquals(0xca00, VirtualDevice.number("0xca00"));
        assertEquals(8, VirtualDevice.number("010"));
    }

    @Test
    void refusesWhatLibxlRefuses() {
        for (String bad : new String[] {"", "xvd", "xvda0", "xvda01", "xvda256", "hde", "hda64", "sdq", "sda16",
                "vda", "xvdA", "d1048576", "d0p256", "dp1", "d0x", "2147483648", "-1", "xvda ", "sd", "d"}) {
            assertEquals(-1, VirtualDevice.number(bad), bad);
        }
    }

    @Test
    void namesNumbers() {
        assertEquals(Optional.of("xvda"), VirtualDevice.name(51712));
        assertEquals(Optional.of("xvdtq37"), VirtualDevice.name((1 << 28) | (536 << 8) | 37));
        assertEquals(Optional.of("hdc2"), VirtualDevice.name((22 << 8) | 2));
        assertEquals(Optional.of("sdb3"), VirtualDevice.name((8 << 8) | (1 << 4) | 3));
        assertEquals(Optional.empty(), VirtualDevice.name(7));
        assertEquals(Optional.empty(), VirtualDevice.name(2 << 28));
    }

    @Property
    void xvdNamesRoundTrip(@ForAll @IntRange(max = (1 << 20) - 1) int disk, @ForAll @IntRange(max = 255) int partition) {
        roundTrip("xvd", disk, partition);
        assertEquals(VirtualDevice.number(name("xvd", disk, partition)),
                VirtualDevice.number("d" + disk + "p" + partition));
    }

    @Property
    void sdNamesRoundTrip(@ForAll @IntRange(max = 15) int disk, @ForAll @IntRange(max = 15) int partition) {
        roundTrip("sd", disk, partition);
    }

    @Property
    void hdNamesRoundTrip(@ForAll @IntRange(max = 3) int disk, @ForAll @IntRange(max = 63) int partition) {
        roundTrip("hd", disk, partition);
    }

    private static void roundTrip(String prefix, int disk, int partition) {
        String name = name(prefix, disk, partition);
        int number = VirtualDevice.number(name);
        assertEquals(Optional.of(name), VirtualDevice.name(number));
        assertEquals(number, VirtualDevice.number(VirtualDevice.name(number).orElseThrow()));
    }

    /** The name written independently of the code under test: bijective base-26 letters. */
    private static String name(String prefix, int disk, int partition) {
        StringBuilder letters = new StringBuilder();
        for (int n = disk + 1; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('a' + (n - 1) % 26));
        }
        return prefix + letters + (partition == 0 ? "" : Integer.toString(partition));
    }
}
