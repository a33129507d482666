package org.hvsim.hv.abi.gnttab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.junit.jupiter.api.Test;

/** Offsets, sizes and byte images of the {@code public/grant_table.h} v1 structures, x86-64. */
class GnttabLayoutTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void sizesMatchXensHeaders() {
        assertEquals(8, GrantEntryV1.SIZE);
        assertEquals(512, GrantEntryV1.PER_FRAME);
        assertEquals(32, GnttabMapGrantRef.SIZE);
        assertEquals(24, GnttabUnmapGrantRef.SIZE);
        assertEquals(24, GnttabSetupTable.SIZE, "the frame_list handle is 8-byte aligned");
        assertEquals(16, GnttabQuerySize.SIZE);
        assertEquals(40, GnttabCopy.SIZE, "two 16-byte copy_ptrs, len, flags, status, padding");
    }

    @Test
    void flagsAndNumbersAreXens() {
        assertEquals(1, Gtf.PERMIT_ACCESS);
        assertEquals(4, Gtf.READONLY);
        assertEquals(8, Gtf.READING);
        assertEquals(16, Gtf.WRITING);
        assertEquals(5, GntTabOp.COPY);
        assertEquals(6, GntTabOp.QUERY_SIZE);
        assertEquals(4, GntTabOp.GNTMAP_READONLY);
        assertEquals(8, GntTabOp.NR_RESERVED_ENTRIES);
    }

    @Test
    void statusMessagesAreXens() {
        assertEquals("okay", GntSt.message(GntSt.OKAY));
        assertEquals("invalid grant reference", GntSt.message(GntSt.BAD_GNTREF));
        assertEquals("copy arguments cross page boundary", GntSt.message(GntSt.BAD_COPY_ARG));
        assertEquals("operation not done; try again", GntSt.message(GntSt.EAGAIN));
        assertEquals("out of space", GntSt.message(GntSt.NO_SPACE));
        assertEquals("bad status -14", GntSt.message(-14));
        assertTrue(GntSt.isDefined(-13));
        assertFalse(GntSt.isDefined(1));
    }

    @Test
    void grantEntryImage() {
        GrantEntryV1 e = new GrantEntryV1(Gtf.PERMIT_ACCESS | Gtf.READONLY, 7, 0x12345);
        SegmentGuestMemory m = SegmentGuestMemory.allocate(16);
        m.putLong(8, e.encode());
        assertArrayEquals(hex("0500 0700 45230100"), m.readBytes(8, 8));
        assertEquals(e, GrantEntryV1.decode(m.getLong(8)));
        assertEquals(GrantEntryV1.combo(5, 7), m.getInt(8));
        assertEquals(1, GrantEntryV1.tableFrame(512));
        assertEquals(8, GrantEntryV1.offsetInFrame(513));
    }

    @Test
    void mapGrantRefImage() {
        GnttabMapGrantRef m = new GnttabMapGrantRef(0x1122, GntTabOp.GNTMAP_HOST_MAP, 9, 3, -3, 0x77, 0xABC000L);
        assertArrayEquals(hex("2211000000000000 02000000 09000000 0300 fdff 77000000 00c0ab0000000000"), m.encode());
        assertEquals(m, GnttabMapGrantRef.decode(m.encode()));
    }

    @Test
    void unmapSetupQueryImages() {
        GnttabUnmapGrantRef u = new GnttabUnmapGrantRef(1, 0x5000, 4, -4);
        assertArrayEquals(hex("0100000000000000 0050000000000000 04000000 fcff 0000"), u.encode());
        GnttabSetupTable s = new GnttabSetupTable(0x7FF0, 2, -1, 0x9000);
        assertArrayEquals(hex("f07f 0000 02000000 ffff 000000000000 0090000000000000"), s.encode());
        GnttabQuerySize q = new GnttabQuerySize(1, 3, 64, 0);
        assertArrayEquals(hex("0100 0000 03000000 40000000 0000 0000"), q.encode());
        assertEquals(u, GnttabUnmapGrantRef.decode(u.encode()));
        assertEquals(s, GnttabSetupTable.decode(s.encode()));
        assertEquals(q, GnttabQuerySize.decode(q.encode()));
    }

    @Test
    void copyImage() {
        GnttabCopy c = new GnttabCopy(new GnttabCopy.Ptr(8, 1, 16), new GnttabCopy.Ptr(0x40, 0x7FF0, 0), 512,
                GntTabOp.GNTCOPY_SOURCE_GREF, -10);
        assertArrayEquals(hex("0800000000000000 0100 1000 00000000"
                + "4000000000000000 f07f 0000 00000000"
                + "0002 0100 f6ff 0000"), c.encode());
        assertEquals(c, GnttabCopy.decode(c.encode()));
        assertEquals(8, c.source().ref());
    }

    @Property
    void anyBytesDecodeAndReencode(@ForAll @Size(40) byte[] raw) {
        byte[] copy = raw.clone();
        copy[38] = 0;
        copy[39] = 0;
        for (int i = 12; i < 16; i++) {
            copy[i] = 0;
            copy[16 + i] = 0;
        }
        assertArrayEquals(copy, GnttabCopy.decode(copy).encode());
        byte[] map = java.util.Arrays.copyOf(raw, 32);
        assertArrayEquals(map, GnttabMapGrantRef.decode(map).encode());
    }
}
