package org.hvsim.dom0.xenstore.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;

/** The inbound choke point: any split of a stream gives the same messages; oversized headers stop it. */
class XsFrameAssemblerPropertyTest {

    @Property
    void anyChunkingYieldsTheSameMessages(@ForAll @Size(max = 20) List<@Size(max = 300) byte[]> payloads,
            @ForAll @Size(min = 1, max = 50) List<@IntRange(min = 1, max = 700) Integer> chunks) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<XsMessage> sent = new ArrayList<>();
        int i = 0;
        for (byte[] p : payloads) {
            XsMessage m = XsMessage.of(i % 27, i * 7, i, p);
            sent.add(m);
            stream.write(m.encode());
            i++;
        }
        byte[] bytes = stream.toByteArray();
        XsFrameAssembler a = new XsFrameAssembler();
        List<XsMessage> got = new ArrayList<>();
        int off = 0;
        int c = 0;
        while (off < bytes.length) {
            int len = Math.min(chunks.get(c++ % chunks.size()), bytes.length - off);
            int used = 0;
            while (used < len) {
                int n = a.feed(bytes, off + used, len - used);
                assertTrue(n > 0);
                used += n;
                XsMessage m = a.take();
                if (m != null) {
                    got.add(m);
                }
            }
            off += len;
        }
        assertEquals(sent.size(), got.size());
        for (int k = 0; k < sent.size(); k++) {
            assertEquals(sent.get(k).header(), got.get(k).header());
            assertArrayEquals(sent.get(k).payload(), got.get(k).payload());
        }
        assertEquals(false, a.partial());
    }

    @Property
    void randomBytesNeverYieldAnOversizedMessageOrOverAllocate(@ForAll @Size(max = 10_000) byte[] bytes,
            @ForAll @IntRange(min = 1, max = 5000) int chunk) {
        XsFrameAssembler a = new XsFrameAssembler();
        int off = 0;
        try {
            while (off < bytes.length) {
                assertTrue(a.needed() <= XsdSockmsg.XENSTORE_PAYLOAD_MAX);
                off += a.feed(bytes, off, Math.min(chunk, bytes.length - off));
                XsMessage m = a.take();
                if (m != null) {
                    assertTrue(m.payload().length <= XsdSockmsg.XENSTORE_PAYLOAD_MAX);
                    assertEquals(m.header().len(), m.payload().length);
                }
            }
        } catch (XsFrameException e) {
            assertEquals(0, a.needed(), "after a bad header the assembler takes nothing more");
            assertThrows(XsFrameException.class, () -> a.feed(new byte[1], 0, 1));
        }
    }

    @Property
    void truncatedInputGivesNothingYet(@ForAll @Size(max = 4096) byte[] payload, @ForAll @IntRange(min = 0, max = 4111) int cut)
            throws Exception {
        byte[] bytes = XsMessage.of(2, 1, 0, payload).encode();
        int n = Math.min(cut, bytes.length - 1);
        XsFrameAssembler a = new XsFrameAssembler();
        int off = 0;
        while (off < n) {
            off += a.feed(bytes, off, n - off);
        }
        assertNull(a.take());
        assertEquals(n > 0, a.partial());
        while (off < bytes.length) {
            off += a.feed(bytes, off, bytes.length - off);
        }
        assertArrayEquals(payload, a.take().payload());
    }

    @Property
    void headerOverThePayloadLimitIsRejected(@ForAll @IntRange(min = 4097) int len) {
        byte[] header = new XsdSockmsg(1, 0, 0, len).toBytes();
        XsFrameAssembler a = new XsFrameAssembler();
        assertThrows(XsFrameException.class, () -> a.feed(header, 0, header.length));
        byte[] huge = new XsdSockmsg(1, 0, 0, -1).toBytes();
        assertThrows(XsFrameException.class, () -> new XsFrameAssembler().feed(huge, 0, huge.length));
    }
}
