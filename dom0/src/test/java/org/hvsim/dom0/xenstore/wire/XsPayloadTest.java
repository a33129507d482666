package org.hvsim.dom0.xenstore.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class XsPayloadTest {

    @Test
    void oneArgIsExactlyOneTerminatedString() {
        assertEquals("abc", XsPayload.oneArg("abc\0".getBytes()));
        assertEquals("", XsPayload.oneArg(new byte[] {0}));
        assertNull(XsPayload.oneArg(new byte[0]));
        assertNull(XsPayload.oneArg("abc".getBytes()));
        assertNull(XsPayload.oneArg("a\0b\0".getBytes()));
        assertNull(XsPayload.oneArg("a\0b".getBytes()));
    }

    @Test
    void stringsIgnoreAnUnterminatedTail() {
        assertEquals(List.of("a", "", "bc"), XsPayload.strings("a\0\0bc\0tail".getBytes()));
        assertEquals(List.of(), XsPayload.strings("tail".getBytes()));
        assertEquals(3, XsPayload.countNuls("a\0\0bc\0tail".getBytes()));
        assertArrayEquals("x\0yz\0".getBytes(), XsPayload.cStrings(List.of("x", "yz")));
    }

    @Test
    void bytesRoundTripThroughStrings() {
        byte[] all = new byte[255];
        for (int i = 0; i < 255; i++) {
            all[i] = (byte) (i + 1);
        }
        assertArrayEquals(all, XsPayload.latin1(XsPayload.latin1(all, 0, all.length)));
    }

    @Test
    void atoiLikeC() {
        assertEquals(12, XsNumbers.atoi("12"));
        assertEquals(12, XsNumbers.atoi("  +12xyz"));
        assertEquals(-3, XsNumbers.atoi("\t-3"));
        assertEquals(0, XsNumbers.atoi("x12"));
        assertEquals(0, XsNumbers.atoi(""));
        assertEquals(Integer.MAX_VALUE, XsNumbers.atoi("99999999999999999999999"));
        assertEquals(Integer.MIN_VALUE, XsNumbers.atoi("-99999999999999999999999"));
        assertEquals(4294967295L, XsNumbers.atoiUnsigned("-1"));
        assertEquals(Long.MAX_VALUE, XsNumbers.atol("99999999999999999999999"));
    }

    @Test
    void watchEventAndErrorLayouts() {
        XsMessage e = XsMessage.watchEvent("/a", "tok");
        assertArrayEquals("/a\0tok\0".getBytes(), e.payload());
        assertEquals(15, e.type());
        XsMessage err = XsMessage.error(new org.hvsim.hv.abi.xenstore.XsdSockmsg(2, 9, 4, 0),
                org.hvsim.hv.abi.xenstore.XsdError.EACCES);
        assertEquals(16, err.type());
        assertEquals(9, err.header().reqId());
        assertEquals(4, err.header().txId());
        assertArrayEquals("EACCES\0".getBytes(), err.payload());
    }
}
