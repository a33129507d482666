package org.hvsim.virtio.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.virtio.ring.DescriptorChain;
import org.hvsim.virtio.ring.DeviceQueue;
import org.hvsim.virtio.ring.DriverBuffer;
import org.hvsim.virtio.ring.MockDriver;
import org.hvsim.virtio.ring.RingFeatures;
import org.junit.jupiter.api.Test;

/** Each request shape the spec allows is accepted; each it forbids gets the spec's status. */
class VirtioBlkRequestParserTest {

    private static final long CAPACITY = 1000;
    private static final VirtioBlkLimits LIMITS =
            new VirtioBlkLimits(CAPACITY, false, true, true, true, 64, 2, 0, 1);

    private final MockDriver drv = new MockDriver(16);
    private final DeviceQueue q = drv.deviceQueue(new RingFeatures(false, true, true));
    private int nextIndex;

    private static byte[] header(int type, long sector) {
        return new VirtioBlkRequestHeader(type, 0, sector).encode();
    }

    /** Offers a direct chain of the given readable and writable buffers and pops it. */
    private DescriptorChain chain(List<DriverBuffer> readable, List<DriverBuffer> writable) throws Exception {
        int n = readable.size() + writable.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = nextIndex++ % 16;
        }
        drv.offer(drv.chain(idx, readable, writable));
        return q.pop();
    }

    private VirtioBlkParseResult parse(VirtioBlkLimits limits, List<DriverBuffer> readable, List<DriverBuffer> writable)
            throws Exception {
        return new VirtioBlkRequestParser(limits).parse(chain(readable, writable));
    }

    private VirtioBlkRequest accepted(VirtioBlkParseResult r) {
        return assertInstanceOf(VirtioBlkParseResult.Accepted.class, r, r.toString()).request();
    }

    private void rejected(VirtioBlkParseResult r, int status, String reasonPart) {
        VirtioBlkParseResult.Rejected rej = assertInstanceOf(VirtioBlkParseResult.Rejected.class, r, r.toString());
        assertEquals(status, rej.status(), rej.reason());
        assertTrue(rej.reason().contains(reasonPart), rej.reason());
        rej.complete();
        assertEquals(status, rej.statusByte().readBytes(0, 1)[0]);
    }

    @Test
    void aReadWithTheHeaderCutAcrossDescriptors() throws Exception {
        byte[] h = header(VirtioBlkRequestType.IN, 998);
        DriverBuffer h1 = drv.buffer(java.util.Arrays.copyOfRange(h, 0, 5));
        DriverBuffer h2 = drv.buffer(java.util.Arrays.copyOfRange(h, 5, 16));
        VirtioBlkRequest r = accepted(parse(LIMITS, List.of(h1, h2), List.of(drv.buffer(512), drv.buffer(513))));
        assertEquals(VirtioBlkRequestType.IN, r.type());
        assertEquals(998, r.sector());
        assertEquals(1024, r.dataLength());
        assertTrue(r.data().regions().stream().allMatch(x -> x.writable()));
        assertEquals(1, r.status().length());
        assertEquals(1025, r.usedLength(VirtioBlkStatus.OK));
        assertEquals(1, r.usedLength(VirtioBlkStatus.IOERR));
    }

    @Test
    void aWriteCarriesReadableData() throws Exception {
        VirtioBlkRequest r = accepted(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.OUT, 0)),
                drv.buffer(4096)), List.of(drv.buffer(1))));
        assertEquals(4096, r.dataLength());
        assertTrue(r.data().regions().stream().noneMatch(x -> x.writable()));
        assertEquals(1, r.usedLength(VirtioBlkStatus.OK));
        r.complete(VirtioBlkStatus.OK);
    }

    @Test
    void noWritableLastByteIsUnanswerable() throws Exception {
        VirtioBlkParseResult r = parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.OUT, 0))), List.of());
        assertInstanceOf(VirtioBlkParseResult.Unanswerable.class, r);
    }

    @Test
    void aWritableHeaderIsAnIoError() throws Exception {
        DriverBuffer hdr = drv.buffer(header(VirtioBlkRequestType.IN, 0));
        rejected(parse(LIMITS, List.of(), List.of(hdr, drv.buffer(512), drv.buffer(1))), VirtioBlkStatus.IOERR, "header");
    }

    @Test
    void aReadOnlyDataBufferForAReadIsAnIoError() throws Exception {
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.IN, 0)), drv.buffer(512)),
                List.of(drv.buffer(1))), VirtioBlkStatus.IOERR, "device-readable data");
    }

    @Test
    void aWritableDataBufferForAWriteIsAnIoError() throws Exception {
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.OUT, 0))),
                List.of(drv.buffer(512), drv.buffer(1))), VirtioBlkStatus.IOERR, "device-writable data");
    }

    @Test
    void dataNotAMultipleOf512IsAnIoError() throws Exception {
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.IN, 0))), List.of(drv.buffer(100),
                drv.buffer(1))), VirtioBlkStatus.IOERR, "multiple of 512");
    }

    @Test
    void aRequestPastTheEndOfTheDiskIsAnIoError() throws Exception {
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.IN, 999))), List.of(drv.buffer(1024),
                drv.buffer(1))), VirtioBlkStatus.IOERR, "past the end");
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.OUT, -1L)), drv.buffer(512)),
                List.of(drv.buffer(1))), VirtioBlkStatus.IOERR, "past the end");
        accepted(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.IN, 1000))), List.of(drv.buffer(1))));
    }

    @Test
    void aWriteToAReadOnlyDiskIsAnIoError() throws Exception {
        VirtioBlkLimits ro = new VirtioBlkLimits(CAPACITY, true, true, true, true, 0, 1, 0, 1);
        rejected(parse(ro, List.of(drv.buffer(header(VirtioBlkRequestType.OUT, 0)), drv.buffer(512)),
                List.of(drv.buffer(1))), VirtioBlkStatus.IOERR, "read-only");
        rejected(parse(ro, List.of(drv.buffer(header(VirtioBlkRequestType.WRITE_ZEROES, 0)),
                drv.buffer(new VirtioBlkSegment(0, 8, 0).encode())), List.of(drv.buffer(1))), VirtioBlkStatus.IOERR,
                "read-only");
        accepted(parse(ro, List.of(drv.buffer(header(VirtioBlkRequestType.IN, 0))), List.of(drv.buffer(512),
                drv.buffer(1))));
    }

    @Test
    void unknownAndUnofferedTypesAreUnsupported() throws Exception {
        for (int type : new int[] {2, 3, 5, VirtioBlkRequestType.GET_LIFETIME, VirtioBlkRequestType.SECURE_ERASE, -1}) {
            rejected(parse(LIMITS, List.of(drv.buffer(header(type, 0))), List.of(drv.buffer(1))), VirtioBlkStatus.UNSUPP,
                    "not supported");
        }
        VirtioBlkLimits bare = new VirtioBlkLimits(CAPACITY, false, false, false, false, 0, 1, 0, 1);
        for (int type : new int[] {VirtioBlkRequestType.FLUSH, VirtioBlkRequestType.DISCARD,
                VirtioBlkRequestType.WRITE_ZEROES}) {
            rejected(parse(bare, List.of(drv.buffer(header(type, 0))), List.of(drv.buffer(1))), VirtioBlkStatus.UNSUPP,
                    "not negotiated");
        }
    }

    @Test
    void flushAndGetId() throws Exception {
        assertEquals(VirtioBlkRequestType.FLUSH,
                accepted(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.FLUSH, 0))), List.of(drv.buffer(1))))
                        .type());
        VirtioBlkRequest id = accepted(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.GET_ID, 0))),
                List.of(drv.buffer(20), drv.buffer(1))));
        assertEquals(20, id.dataLength());
        assertEquals(21, id.usedLength(VirtioBlkStatus.OK));
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.GET_ID, 0))),
                List.of(drv.buffer(19), drv.buffer(1))), VirtioBlkStatus.IOERR, "not 20");
    }

    @Test
    void discardAndWriteZeroesSegments() throws Exception {
        List<DriverBuffer> segs = new ArrayList<>();
        segs.add(drv.buffer(header(VirtioBlkRequestType.WRITE_ZEROES, 0)));
        segs.add(drv.buffer(new VirtioBlkSegment(10, 20, VirtioBlkSegment.FLAG_UNMAP).encode()));
        VirtioBlkRequest wz = accepted(parse(LIMITS, segs, List.of(drv.buffer(1))));
        assertEquals(List.of(new VirtioBlkSegment(10, 20, 1)), wz.segments());

        byte[] two = new byte[32];
        System.arraycopy(new VirtioBlkSegment(0, 64, 0).encode(), 0, two, 0, 16);
        System.arraycopy(new VirtioBlkSegment(950, 50, 0).encode(), 0, two, 16, 16);
        VirtioBlkRequest d = accepted(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.DISCARD, 0)),
                drv.buffer(two)), List.of(drv.buffer(1))));
        assertEquals(2, d.segments().size());

        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.DISCARD, 0)),
                drv.buffer(new VirtioBlkSegment(0, 8, VirtioBlkSegment.FLAG_UNMAP).encode())), List.of(drv.buffer(1))),
                VirtioBlkStatus.UNSUPP, "flags");
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.WRITE_ZEROES, 0)),
                drv.buffer(new VirtioBlkSegment(0, 8, 2).encode())), List.of(drv.buffer(1))), VirtioBlkStatus.UNSUPP,
                "flags");
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.DISCARD, 0)),
                drv.buffer(new VirtioBlkSegment(0, 65, 0).encode())), List.of(drv.buffer(1))), VirtioBlkStatus.IOERR,
                "limit 64");
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.WRITE_ZEROES, 0)),
                drv.buffer(new VirtioBlkSegment(999, 2, 0).encode())), List.of(drv.buffer(1))), VirtioBlkStatus.IOERR,
                "past the end");
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.WRITE_ZEROES, 0)), drv.buffer(two)),
                List.of(drv.buffer(1))), VirtioBlkStatus.IOERR, "at most 1");
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.DISCARD, 0)), drv.buffer(8)),
                List.of(drv.buffer(1))), VirtioBlkStatus.IOERR, "segments of 16");
        rejected(parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.DISCARD, 0))), List.of(drv.buffer(1))),
                VirtioBlkStatus.IOERR, "segments of 16");
    }

    @Test
    void theUsedLengthOfARejectionNeverOverstates() throws Exception {
        VirtioBlkParseResult.Rejected r = assertInstanceOf(VirtioBlkParseResult.Rejected.class,
                parse(LIMITS, List.of(drv.buffer(header(VirtioBlkRequestType.IN, 5000))),
                        List.of(drv.buffer(512), drv.buffer(1))));
        assertEquals(0, r.usedLength(), "the data was not written");
        VirtioBlkParseResult.Rejected r2 = assertInstanceOf(VirtioBlkParseResult.Rejected.class,
                parse(LIMITS, List.of(drv.buffer(header(77, 0))), List.of(drv.buffer(1))));
        assertEquals(1, r2.usedLength(), "only the status byte is writable");
    }
}
