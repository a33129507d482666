package org.hvsim.virtio.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** virtio-blk structures are byte-exact. */
class VirtioBlkWireTest {

    @Test
    void configFieldsSitAtTheSpecsOffsets() {
        VirtioBlkConfig c = new VirtioBlkConfig(0x1122334455667788L, 0x10000, 126, (short) 0x0102, (byte) 3, (byte) 4,
                4096, (byte) 5, (byte) 6, (short) 0x0708, 0x090a0b0c, (byte) 1, (short) 2, 0x100, 0x101, 0x102, 0x200,
                0x201, (byte) 1, 0x300, 0x301, 0x302);
        byte[] b = c.encode();
        assertEquals(VirtioBlkConfig.SIZE, b.length);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x1122334455667788L, buf.getLong(0));
        assertEquals(0x10000, buf.getInt(8));
        assertEquals(126, buf.getInt(12));
        assertEquals(0x0102, buf.getShort(16));
        assertEquals(3, b[18]);
        assertEquals(4, b[19]);
        assertEquals(4096, buf.getInt(20));
        assertEquals(5, b[24]);
        assertEquals(6, b[25]);
        assertEquals(0x0708, buf.getShort(26));
        assertEquals(0x090a0b0c, buf.getInt(28));
        assertEquals(1, b[32]);
        assertEquals(0, b[33]);
        assertEquals(2, buf.getShort(34));
        assertEquals(0x100, buf.getInt(36));
        assertEquals(0x101, buf.getInt(40));
        assertEquals(0x102, buf.getInt(44));
        assertEquals(0x200, buf.getInt(48));
        assertEquals(0x201, buf.getInt(52));
        assertEquals(1, b[56]);
        assertEquals(0, b[57] | b[58] | b[59]);
        assertEquals(0x300, buf.getInt(60));
        assertEquals(0x301, buf.getInt(64));
        assertEquals(0x302, buf.getInt(68));
        assertEquals(c, VirtioBlkConfig.decode(b));
    }

    @Test
    void headerAndSegmentLayouts() {
        byte[] h = new VirtioBlkRequestHeader(VirtioBlkRequestType.OUT, 0, 0x0102030405060708L).encode();
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1}, h);
        assertEquals(new VirtioBlkRequestHeader(1, 0, 0x0102030405060708L), VirtioBlkRequestHeader.decode(h));
        byte[] s = new VirtioBlkSegment(0x10, 0xffff_fffeL, VirtioBlkSegment.FLAG_UNMAP).encode();
        assertArrayEquals(new byte[] {0x10, 0, 0, 0, 0, 0, 0, 0, (byte) 0xfe, -1, -1, -1, 1, 0, 0, 0}, s);
        assertEquals(new VirtioBlkSegment(0x10, 0xffff_fffeL, 1), VirtioBlkSegment.decode(s, 0));
    }

    @Test
    void numbersFromTheSpec() {
        assertEquals(0, VirtioBlkRequestType.IN);
        assertEquals(1, VirtioBlkRequestType.OUT);
        assertEquals(4, VirtioBlkRequestType.FLUSH);
        assertEquals(8, VirtioBlkRequestType.GET_ID);
        assertEquals(11, VirtioBlkRequestType.DISCARD);
        assertEquals(13, VirtioBlkRequestType.WRITE_ZEROES);
        assertEquals(2, VirtioBlkStatus.UNSUPP);
        assertEquals(14, VirtioBlkFeature.WRITE_ZEROES);
        assertEquals(9, VirtioBlkFeature.FLUSH);
    }
}
