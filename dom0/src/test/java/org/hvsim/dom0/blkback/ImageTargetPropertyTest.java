package org.hvsim.dom0.blkback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Disk targets as xl.cfg and xl block-attach give them (user input): a clear answer for any text. */
class ImageTargetPropertyTest {
    @Example
    void nullSizesTakeBinarySuffixes() {
        assertEquals(new ImageTarget.Null(1L << 30), ImageTarget.parse("null:1G"));
        assertEquals(new ImageTarget.Null(512), ImageTarget.parse("null:512"));
        assertEquals(new ImageTarget.Null(256L << 20), ImageTarget.parse("null:256m"));
        assertEquals(new ImageTarget.Null(4L << 40), ImageTarget.parse("null:4T"));
        assertEquals(new ImageTarget.File(Path.of("/srv/disk.img")), ImageTarget.parse("/srv/disk.img"));
    }

    @Provide
    Arbitrary<String> targets() {
        Arbitrary<String> sizes = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 1L << 40).map(n -> Long.toString(n))),
                Tuple.of(3, Arbitraries.longs().between(0, 5000).flatMap(n -> Arbitraries.of("k", "M", "g", "T", "x", "")
                        .map(s -> n + s))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(25)));
        return Arbitraries.frequencyOf(Tuple.of(5, sizes.map(s -> "null:" + s)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(30)));
    }

    @Property(tries = 1000)
    void anyTargetIsAFileANullOfWholeSectorsOrAClearRefusal(@ForAll("targets") String target) throws IOException {
        ImageTarget t;
        try {
            t = ImageTarget.parse(target);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            assertTrue(target.isEmpty() || target.startsWith("null:") || e.getMessage().contains(" is not a path: "),
                    "only null sizes, empty targets and what the OS cannot take as a path (a NUL byte, an unpaired "
                            + "surrogate) are refused: " + e.getMessage());
            return;
        }
        switch (t) {
            case ImageTarget.Null n -> {
                assertTrue(target.startsWith("null:"));
                assertTrue(n.bytes() > 0 && n.bytes() % 512 == 0 && n.bytes() <= 1L << 62, n.toString());
                try (Arena arena = Arena.ofConfined(); BlockImage img = BlockImages.open(n, "raw", false)) {
                    MemorySegment buf = arena.allocate(512);
                    buf.fill((byte) 9);
                    img.read(0, buf);
                    assertEquals(9, buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), "null reads touch nothing");
                    assertEquals(n.bytes(), img.bytes());
                }
            }
            case ImageTarget.File f -> assertTrue(!target.startsWith("null:") && !target.isEmpty());
        }
    }

    @Example
    void onlyRawIsServed() {
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> BlockImages.open(new ImageTarget.Null(512), "qcow2", false));
        assertEquals("format qcow2 is not served: hvsim's block backend serves raw images", e.getMessage());
    }
}
