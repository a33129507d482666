package org.hvsim.domu.xenbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.xenstore.XenstoreDomainInterface;
import org.hvsim.hv.abi.xenstore.XsdSockmsg;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * Message framing: however a byte stream of messages is cut, the decoder gives back the same messages; a
 * header announcing more than XENSTORE_PAYLOAD_MAX ends the stream wherever it falls; requests encode to what
 * the decoder reads; and the ring carries a byte stream whole through any interleaving of partial reads and
 * writes, from any starting index.
 */
class XsFramingPropertyTest {

    @Provide
    Arbitrary<XsMessage> messages() {
        return Combinators.combine(Arbitraries.integers().between(0, 30), Arbitraries.integers(),
                Arbitraries.integers(), Arbitraries.bytes().array(byte[].class).ofMaxSize(XsdSockmsg.XENSTORE_PAYLOAD_MAX))
                .as((type, reqId, txId, payload) -> new XsMessage(new XsdSockmsg(type, reqId, txId, payload.length),
                        payload));
    }

    private static byte[] stream(List<XsMessage> msgs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (XsMessage m : msgs) {
            out.writeBytes(m.header().toBytes());
            out.writeBytes(m.payload());
        }
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in pieces of the sizes {@code cuts} gives (cyclically); returns what came out. */
    private static List<XsMessage> decode(byte[] bytes, List<Integer> cuts, XsMessageDecoder d) {
        List<XsMessage> out = new ArrayList<>();
        int off = 0;
        for (int i = 0; off < bytes.length; i++) {
            int n = Math.min(cuts.get(i % cuts.size()), bytes.length - off);
            d.feed(bytes, off, n, out::add);
            off += n;
        }
        return out;
    }

    private static void assertSameMessages(List<XsMessage> expected, List<XsMessage> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).header(), actual.get(i).header());
            assertArrayEquals(expected.get(i).payload(), actual.get(i).payload());
        }
    }

    @Property(tries = 300)
    void messagesCutAnywhereDecodeToTheSameMessages(@ForAll @Size(max = 8) List<@From("messages") XsMessage> msgs,
            @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 5000) Integer> cuts) {
        XsMessageDecoder d = new XsMessageDecoder();
        assertSameMessages(msgs, decode(stream(msgs), cuts, d));
    }

    @Property(tries = 300)
    void anOversizeHeaderEndsTheStreamWhereverItFalls(@ForAll @Size(max = 4) List<@From("messages") XsMessage> before,
            @ForAll @LongRange(min = XsdSockmsg.XENSTORE_PAYLOAD_MAX + 1, max = 0xffff_ffffL) long len,
            @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 40) Integer> cuts) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(stream(before));
        s.writeBytes(new XsdSockmsg(XsdSockmsgType.XS_READ.number(), 1, 0, (int) len).toBytes());
        s.writeBytes(new byte[64]);
        XsMessageDecoder d = new XsMessageDecoder();
        List<XsMessage> got = new ArrayList<>();
        byte[] bytes = s.toByteArray();
        XsProtocolException e = assertThrows(XsProtocolException.class, () -> {
            int off = 0;
            for (int i = 0; off < bytes.length; i++) {
                int n = Math.min(cuts.get(i % cuts.size()), bytes.length - off);
                d.feed(bytes, off, n, got::add);
                off += n;
            }
        });
        assertTrue(e.getMessage().contains("len " + len), e.getMessage());
        assertSameMessages(before, got);
        assertThrows(XsProtocolException.class, () -> d.feed(new byte[1], 0, 1, got::add), "it stays broken");
    }

    @Property(tries = 300)
    void requestsEncodeToWhatTheDecoderReads(@ForAll @IntRange(min = 0, max = 26) int typeIndex,
            @ForAll int reqId, @ForAll int txId,
            @ForAll @Size(max = 6) List<@StringLength(max = 300) @Chars({'a', 'z', '/', '-', '_', '@', '0', 'é'}) String> args) {
        XsdSockmsgType type = XsdSockmsgType.values()[typeIndex % XsdSockmsgType.values().length];
        XsRequest req = XsRequest.strings(type, txId, args.toArray(String[]::new));
        List<XsMessage> got = new ArrayList<>();
        new XsMessageDecoder().feed(req.encode(reqId), 0, req.encode(reqId).length, got::add);
        assertEquals(1, got.size());
        XsMessage m = got.get(0);
        assertEquals(new XsdSockmsg(type.number(), reqId, txId, req.payload().length), m.header());
        assertEquals(args, m.strings());
    }

    @Property(tries = 200)
    void theRingCarriesTheStreamWholeThroughPartialWritesAndReads(@ForAll int startIndex,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 3000) Integer> writes,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 1500) Integer> reads) {
        SegmentGuestMemory m = SegmentGuestMemory.allocate(Page.SIZE);
        for (int off : new int[] {XenstoreDomainInterface.REQ_CONS, XenstoreDomainInterface.REQ_PROD,
                XenstoreDomainInterface.RSP_CONS, XenstoreDomainInterface.RSP_PROD}) {
            m.putInt(off, startIndex);
        }
        XenstoreRing ring = new XenstoreRing(0);
        ring.resync(m);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream serverGot = new ByteArrayOutputStream();
        ByteArrayOutputStream clientGot = new ByteArrayOutputStream();
        int[] server = {startIndex, startIndex};
        byte next = 0;
        int r = 0;
        for (int len : writes) {
            byte[] data = new byte[len];
            for (int i = 0; i < len; i++) {
                data[i] = next++;
            }
            sent.writeBytes(data);
            int off = 0;
            while (off < len) {
                int n = ring.write(m, data, off, len - off);
                assertTrue(ring.requestSpace(m) >= 0 && ring.requestSpace(m) <= XenstoreDomainInterface.XENSTORE_RING_SIZE);
                off += n;
                if (n == 0) {
                    // The server consumes some requests and echoes them as responses the client then reads.
                    byte[] chunk = consume(m, server, reads.get(r++ % reads.size()));
                    serverGot.writeBytes(chunk);
                    produce(m, server, chunk);
                    byte[] buf = new byte[reads.get(r++ % reads.size())];
                    while (ring.responsesQueued(m) > 0) {
                        int got = ring.read(m, buf, 0, buf.length);
                        clientGot.write(buf, 0, got);
                    }
                }
            }
        }
        byte[] rest = consume(m, server, Integer.MAX_VALUE);
        serverGot.writeBytes(rest);
        produce(m, server, rest);
        byte[] buf = new byte[700];
        int got;
        while ((got = ring.read(m, buf, 0, buf.length)) > 0) {
            clientGot.write(buf, 0, got);
        }
        assertArrayEquals(sent.toByteArray(), serverGot.toByteArray());
        assertArrayEquals(sent.toByteArray(), clientGot.toByteArray());
    }

    /** xenstored reads up to {@code max} request bytes; {@code s[0]} is its req_cons. */
    private static byte[] consume(SegmentGuestMemory m, int[] s, int max) {
        int prod = m.getIntAcquire(XenstoreDomainInterface.REQ_PROD);
        int n = Math.min(max, prod - s[0]);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = m.getByte(XenstoreDomainInterface.REQ + XenstoreDomainInterface.maskIndex(s[0] + i));
        }
        s[0] += n;
        m.putIntRelease(XenstoreDomainInterface.REQ_CONS, s[0]);
        return b;
    }

    /** xenstored writes {@code b} to the response ring (it fits: it came out of a ring of the same size). */
    private static void produce(SegmentGuestMemory m, int[] s, byte[] b) {
        int cons = m.getIntAcquire(XenstoreDomainInterface.RSP_CONS);
        assertTrue(XenstoreDomainInterface.XENSTORE_RING_SIZE - (s[1] - cons) >= b.length);
        for (int i = 0; i < b.length; i++) {
            m.putByte(XenstoreDomainInterface.RSP + XenstoreDomainInterface.maskIndex(s[1] + i), b[i]);
        }
        s[1] += b.length;
        m.putIntRelease(XenstoreDomainInterface.RSP_PROD, s[1]);
    }
}
