package org.hvsim.virtio.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.hvsim.virtio.dma.GuestRegion;
import org.hvsim.virtio.ring.DescriptorChain;
import org.hvsim.virtio.ring.DeviceQueue;
import org.hvsim.virtio.ring.DriverBuffer;
import org.hvsim.virtio.ring.MockDriver;
import org.hvsim.virtio.ring.RingFeatures;

/**
 * Whatever chain a driver builds (header cut anywhere, any type and sector, data on either side, any segment
 * bytes), the parser answers without throwing, and what it accepts is what the spec allows: the status is the
 * chain's last byte and device-writable, IN/OUT data is whole sectors inside the disk on the right side,
 * nothing that writes reaches a read-only disk, segments carry only known flags and stay inside the disk.
 */
class VirtioBlkRequestParserPropertyTest {

    private static final long CAPACITY = 4096;

    record Shape(int type, long sector, List<Integer> readableCuts, List<Integer> writableCuts, byte[] payload,
            VirtioBlkLimits limits) {
    }

    @Provide
    Arbitrary<Shape> shapes() {
        Arbitrary<Integer> type = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(0, 1, 4, 8, 11, 13)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Long> sector = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(0, CAPACITY + 2)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs()));
        Arbitrary<Integer> cut = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(0, 1, 5, 11, 16, 20, 21, 32, 512, 513, 1024)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 2000)));
        Arbitrary<VirtioBlkLimits> limits = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.integers().between(0, 3))
                .as((ro, flush, discard, wz, seg) -> new VirtioBlkLimits(CAPACITY, ro, flush, discard, wz, 64, seg, 128, seg));
        Arbitrary<Shape> random = Combinators.combine(type, sector, cut.list().ofMaxSize(6), cut.list().ofMaxSize(6),
                Arbitraries.bytes().array(byte[].class).ofSize(64), limits).as(Shape::new);
        // mostly well-formed: header (cut once), data of a plausible size on the side the type wants, status byte
        Arbitrary<Shape> plausible = Combinators.combine(Arbitraries.of(0, 1, 4, 8, 11, 13),
                Arbitraries.longs().between(0, CAPACITY), Arbitraries.integers().between(1, 16),
                Arbitraries.integers().between(0, 4), Arbitraries.bytes().array(byte[].class).ofSize(64), limits)
                .as((t, sec, headerCut, units, payload, lim) -> {
                    boolean devWrites = t == 0 || t == 8;
                    int data = t == 8 ? 20 : t == 11 || t == 13 ? 16 * units : 512 * units;
                    List<Integer> r = new ArrayList<>(headerCut < 16 ? List.of(headerCut, 16 - headerCut) : List.of(16));
                    List<Integer> w = new ArrayList<>();
                    if (data > 0) {
                        (devWrites ? w : r).add(data);
                    }
                    w.add(1);
                    return new Shape(t, sec, r, w, payload, lim);
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, random), net.jqwik.api.Tuple.of(1, plausible));
    }

    @Property(tries = 2000)
    void parserAnswersEveryChainAsTheSpecAllows(@ForAll("shapes") Shape s) throws Exception {
        MockDriver drv = new MockDriver(16, 1 << 20);
        DeviceQueue q = drv.deviceQueue(new RingFeatures(false, true, true));
        byte[] header = new VirtioBlkRequestHeader(s.type(), 0, s.sector()).encode();
        List<DriverBuffer> readable = new ArrayList<>();
        int hpos = 0;
        for (int len : s.readableCuts()) {
            byte[] content = new byte[len];
            for (int i = 0; i < len; i++, hpos++) {
                // the header first, then segment-like payload bytes (so DISCARD/WRITE_ZEROES see real segments)
                content[i] = hpos < 16 ? header[hpos] : s.payload()[(hpos - 16) % s.payload().length];
            }
            readable.add(drv.buffer(content));
        }
        List<DriverBuffer> writable = new ArrayList<>();
        for (int len : s.writableCuts()) {
            writable.add(drv.buffer(len));
        }
        int n = readable.size() + writable.size();
        if (n == 0) {
            return;
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        drv.offer(drv.chain(idx, readable, writable));
        DescriptorChain chain = q.pop();

        VirtioBlkParseResult r = new VirtioBlkRequestParser(s.limits()).parse(chain);
        Statistics.collect(r.getClass().getSimpleName());
        long w = chain.writable().length();
        switch (r) {
            case VirtioBlkParseResult.Unanswerable u -> assertEquals(0, w);
            case VirtioBlkParseResult.Rejected rej -> {
                assertTrue(rej.status() == VirtioBlkStatus.IOERR || rej.status() == VirtioBlkStatus.UNSUPP);
                assertLastWritableByte(chain, rej.statusByte().regions().getFirst());
                assertTrue(rej.usedLength() <= 1 && (rej.usedLength() == 0 || w == 1));
            }
            case VirtioBlkParseResult.Accepted a -> {
                VirtioBlkRequest req = a.request();
                assertLastWritableByte(chain, req.status().regions().getFirst());
                boolean deviceWrites = req.type() == VirtioBlkRequestType.IN || req.type() == VirtioBlkRequestType.GET_ID;
                if (deviceWrites) {
                    assertEquals(VirtioBlkRequestHeader.SIZE, chain.readable().length(), "no readable data");
                } else if (req.type() != VirtioBlkRequestType.FLUSH) {
                    assertEquals(1, w, "nothing writable but the status");
                }
                switch (req.type()) {
                    case VirtioBlkRequestType.IN, VirtioBlkRequestType.OUT -> {
                        boolean in = req.type() == VirtioBlkRequestType.IN;
                        assertEquals(0, req.dataLength() % 512);
                        assertTrue(req.sector() >= 0 && req.sector() + req.dataLength() / 512 <= CAPACITY);
                        assertTrue(req.data().regions().stream().allMatch(x -> x.writable() == in));
                        assertFalse(!in && s.limits().readOnly());
                    }
                    case VirtioBlkRequestType.FLUSH -> assertTrue(s.limits().flush());
                    case VirtioBlkRequestType.GET_ID -> assertEquals(20, req.dataLength());
                    case VirtioBlkRequestType.DISCARD, VirtioBlkRequestType.WRITE_ZEROES -> {
                        assertFalse(s.limits().readOnly());
                        assertFalse(req.segments().isEmpty());
                        for (VirtioBlkSegment seg : req.segments()) {
                            assertEquals(0, seg.flags() & ~VirtioBlkSegment.FLAG_UNMAP);
                            assertFalse(req.type() == VirtioBlkRequestType.DISCARD && seg.unmap());
                            assertTrue(seg.sector() >= 0 && seg.sector() + seg.numSectors() <= CAPACITY);
                        }
                    }
                    default -> throw new AssertionError("accepted type " + req.type());
                }
            }
        }
    }

    private static void assertLastWritableByte(DescriptorChain chain, GuestRegion status) {
        List<GuestRegion> w = chain.writable().regions();
        GuestRegion last = w.getLast();
        assertTrue(status.writable());
        assertEquals(1, status.length());
        assertEquals(last.address() + last.length() - 1, status.address());
    }
}
