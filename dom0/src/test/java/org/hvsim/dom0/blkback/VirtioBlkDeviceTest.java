package org.hvsim.dom0.blkback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.virtio.blk.VirtioBlkRequestType;
import org.hvsim.virtio.blk.VirtioBlkSegment;
import org.hvsim.virtio.blk.VirtioBlkStatus;
import org.hvsim.virtio.ring.Descriptor;
import org.hvsim.virtio.ring.DriverBuffer;
import org.hvsim.virtio.ring.UsedElement;
import org.hvsim.virtio.ring.VirtqueueError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The virtio-blk device against a hand-driven frontend (MockDriver) whose buffers it reaches as grants. */
class VirtioBlkDeviceTest {
    private static final int IN = VirtioBlkRequestType.IN;
    private static final int OUT = VirtioBlkRequestType.OUT;

    @TempDir
    Path dir;

    private RawFileImage rawImage(int bytes, boolean ro) throws IOException {
        Path p = dir.resolve("disk.img");
        if (!Files.exists(p)) {
            Files.write(p, new byte[bytes]);
        }
        return RawFileImage.open(p, ro);
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** A good 512-byte write and read-back: the device still serves after whatever came before. */
    private static void assertServes(BlkRig rig) {
        byte[] data = pattern(512, 7);
        assertEquals(VirtioBlkStatus.OK, rig.request(OUT, 3, List.of(rig.buffer(data, true)), List.of()));
        DriverBuffer back = rig.buffer(512, false);
        assertEquals(VirtioBlkStatus.OK, rig.request(IN, 3, List.of(), List.of(back)));
        if (!(rig.image instanceof NullImage)) {
            assertArrayEquals(data, rig.read(back));
        }
    }

    @Test
    void writesAndReadsReachTheImageFileAcrossPages() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img)) {
            byte[] a = pattern(4096, 1);
            byte[] b = pattern(8192, 2);
            assertEquals(VirtioBlkStatus.OK,
                    rig.request(OUT, 16, List.of(rig.buffer(a, true), rig.buffer(b, true)), List.of()));
            byte[] file = Files.readAllBytes(img.path());
            assertArrayEquals(a, Arrays.copyOfRange(file, 16 * 512, 16 * 512 + 4096));
            assertArrayEquals(b, Arrays.copyOfRange(file, 16 * 512 + 4096, 16 * 512 + 4096 + 8192));
            DriverBuffer back = rig.buffer(4096 + 8192, false);
            assertEquals(VirtioBlkStatus.OK, rig.request(IN, 16, List.of(), List.of(back)));
            byte[] got = rig.read(back);
            assertArrayEquals(a, Arrays.copyOfRange(got, 0, 4096));
            assertArrayEquals(b, Arrays.copyOfRange(got, 4096, 4096 + 8192));
            assertEquals(2, rig.counters.get(BlkbackCounters.Event.OK));
        }
    }

    @Test
    void manyRequestsInFlightAllComplete() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img)) {
            int n = BlkRig.QUEUE / 3;
            List<DriverBuffer> statuses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                DriverBuffer st = rig.status();
                statuses.add(st);
                rig.driver.chain(rig.descs(3), List.of(rig.header(IN, i * 8L)), List.of(rig.buffer(4096, false), st));
            }
            // All made available at once, one kick: the device pops them all and runs them side by side.
            for (int i = 0; i < n; i++) {
                rig.driver.offer(i * 3);
            }
            rig.device.kick();
            for (int i = 0; i < n; i++) {
                rig.awaitUsed();
            }
            for (DriverBuffer st : statuses) {
                assertEquals(VirtioBlkStatus.OK, rig.read(st)[0]);
            }
        }
    }

    /** Records the status byte of the flush request as flush() sees it. */
    private static final class FlushRecordingImage implements BlockImage {
        final List<Integer> statusAtFlush = new CopyOnWriteArrayList<>();
        volatile BlkRig rig;
        volatile DriverBuffer status;

        @Override public long bytes() { return 1 << 20; }
        @Override public boolean readOnly() { return false; }
        @Override public void read(long offset, MemorySegment dst) {}
        @Override public void write(long offset, MemorySegment src) {}
        @Override public void flush() { statusAtFlush.add(Byte.toUnsignedInt(rig.read(status)[0])); }
        @Override public void discard(long offset, long length) {}
        @Override public void writeZeroes(long offset, long length) {}
        @Override public void close() {}
    }

    /** An image that says it is in memory and records which thread read it, for how many bytes. */
    private static final class ThreadRecordingImage implements BlockImage {
        final List<String> reads = new CopyOnWriteArrayList<>();

        @Override public long bytes() { return 1 << 20; }
        @Override public boolean readOnly() { return false; }
        @Override public boolean inMemory() { return true; }
        @Override public void read(long offset, MemorySegment dst) {
            reads.add(Thread.currentThread().getName() + " " + dst.byteSize());
        }
        @Override public void write(long offset, MemorySegment src) {}
        @Override public void flush() {}
        @Override public void discard(long offset, long length) {}
        @Override public void writeZeroes(long offset, long length) {}
        @Override public void close() {}
    }

    @Test
    void anImageInMemoryHasItsSmallRequestsDoneByTheDeviceThreadAndItsLargeOnesByWorkers() throws Exception {
        ThreadRecordingImage img = new ThreadRecordingImage();
        try (BlkRig rig = new BlkRig(img)) {
            for (int bytes : new int[] {4096, (int) VirtioBlkDevice.INLINE_MAX_BYTES + 4096}) {
                DriverBuffer data = rig.buffer(bytes, false);
                assertEquals(VirtioBlkStatus.OK, rig.request(IN, 0, List.of(), List.of(data)));
            }
        }
        assertEquals(2, img.reads.size(), img.reads.toString());
        assertFalse(img.reads.get(0).contains("-io-"), "a 4 KiB read on the device thread: " + img.reads);
        assertTrue(img.reads.get(1).contains("-io-"), "a 68 KiB read on a worker: " + img.reads);
    }

    @Test
    void flushReachesTheImageBeforeOk() throws Exception {
        FlushRecordingImage img = new FlushRecordingImage();
        try (BlkRig rig = new BlkRig(img)) {
            img.rig = rig;
            img.status = rig.status();
            rig.submit(List.of(rig.header(VirtioBlkRequestType.FLUSH, 0)), List.of(img.status));
            UsedElement e = rig.awaitUsed();
            assertEquals(List.of(0xff), img.statusAtFlush, "flush ran before the status was written");
            assertEquals(VirtioBlkStatus.OK, rig.read(img.status)[0]);
            assertEquals(1, e.len());
        }
    }

    @Test
    void getIdAnswersTwentyBytes() throws Exception {
        try (BlkRig rig = new BlkRig(new NullImage(1 << 20, false))) {
            DriverBuffer id = rig.buffer(20, false);
            assertEquals(VirtioBlkStatus.OK, rig.request(VirtioBlkRequestType.GET_ID, 0, List.of(), List.of(id)));
            byte[] want = new byte[20];
            System.arraycopy("xvda-51712".getBytes(), 0, want, 0, 10);
            assertArrayEquals(want, rig.read(id));
        }
    }

    @Test
    void writeZeroesAndDiscardZeroTheRange() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img)) {
            assertEquals(VirtioBlkStatus.OK, rig.request(OUT, 0, List.of(rig.buffer(pattern(8192, 3), true)), List.of()));
            byte[] seg = new VirtioBlkSegment(2, 4, 0).encode();
            assertEquals(VirtioBlkStatus.OK,
                    rig.request(VirtioBlkRequestType.WRITE_ZEROES, 0, List.of(rig.buffer(seg, true)), List.of()));
            byte[] seg2 = new VirtioBlkSegment(10, 2, 0).encode();
            assertEquals(VirtioBlkStatus.OK,
                    rig.request(VirtioBlkRequestType.DISCARD, 0, List.of(rig.buffer(seg2, true)), List.of()));
            byte[] file = Files.readAllBytes(img.path());
            assertArrayEquals(new byte[4 * 512], Arrays.copyOfRange(file, 2 * 512, 6 * 512));
            assertArrayEquals(new byte[2 * 512], Arrays.copyOfRange(file, 10 * 512, 12 * 512));
            assertEquals(pattern(8192, 3)[0], file[0]);
            assertEquals(pattern(8192, 3)[6 * 512], file[6 * 512]);
        }
    }

    @Test
    void nullDeviceAnswersWithoutStoring() throws Exception {
        try (BlkRig rig = new BlkRig(new NullImage(1 << 30, false))) {
            assertEquals(VirtioBlkStatus.OK, rig.request(OUT, 100, List.of(rig.buffer(pattern(4096, 5), true)), List.of()));
            DriverBuffer back = rig.buffer(pattern(4096, 9), false);
            assertEquals(VirtioBlkStatus.OK, rig.request(IN, 100, List.of(), List.of(back)));
            assertArrayEquals(pattern(4096, 9), rig.read(back), "a null read leaves the buffer as it was");
            assertEquals(VirtioBlkStatus.OK, rig.request(VirtioBlkRequestType.FLUSH, 0, List.of(), List.of()));
        }
    }

    @Test
    void unknownTypesAreUnsupported() throws Exception {
        try (BlkRig rig = new BlkRig(new NullImage(1 << 20, false))) {
            assertEquals(VirtioBlkStatus.UNSUPP, rig.request(99, 0, List.of(), List.of()));
            assertEquals(1, rig.counters.get(BlkbackCounters.Event.UNSUPP));
            assertServes(rig);
        }
    }

    // ---- hostile frontends: each gets the spec's answer and a counter, and the device carries on ----

    @Test
    void aDescriptorLoopIsReturnedUnused() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img)) {
            DriverBuffer h = rig.header(IN, 0);
            DriverBuffer st = rig.status();
            int[] d = rig.descs(2);
            rig.driver.desc(d[0], h.addr(), h.len(), Descriptor.F_NEXT, d[1]);
            rig.driver.desc(d[1], st.addr(), st.len(), Descriptor.F_NEXT | Descriptor.F_WRITE, d[0]);
            rig.offer(d[0]);
            assertEquals(new UsedElement(d[0], 0), rig.awaitUsed());
            assertEquals(0xff, Byte.toUnsignedInt(rig.read(st)[0]), "no status written into a refused chain");
            assertEquals(1, rig.counters.get(BlkbackCounters.Event.BAD_CHAIN));
            assertEquals(1, rig.device.queue().counters().errors(VirtqueueError.DESCRIPTOR_LOOP));
            assertServes(rig);
        }
    }

    @Test
    void aChainLongerThanTheQueueIsReturnedUnused() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img)) {
            // QUEUE - 1 direct descriptors, then an indirect table of 4 more: more buffers than the queue has.
            int[] d = rig.descs(BlkRig.QUEUE);
            DriverBuffer h = rig.header(IN, 0);
            for (int i = 0; i < BlkRig.QUEUE - 1; i++) {
                rig.driver.desc(d[i], h.addr(), h.len(), Descriptor.F_NEXT, d[i + 1]);
            }
            List<Descriptor> table = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                DriverBuffer w = rig.buffer(512, false);
                table.add(new Descriptor(w.addr(), w.len(), Descriptor.F_WRITE | (i < 3 ? Descriptor.F_NEXT : 0), i + 1));
            }
            long t = rig.driver.indirectTable(table);
            rig.grants.grant(t, 64, true);
            rig.driver.desc(d[BlkRig.QUEUE - 1], PageGrants.dma(t), 64, Descriptor.F_INDIRECT, 0);
            rig.offer(d[0]);
            assertEquals(new UsedElement(d[0], 0), rig.awaitUsed());
            assertEquals(1, rig.device.queue().counters().errors(VirtqueueError.CHAIN_TOO_LONG));
            assertEquals(1, rig.counters.get(BlkbackCounters.Event.BAD_CHAIN));
            assertServes(rig);
        }
    }

    @Test
    void aBadGrantRefOrAnAddressOutsideGrantsIsReturnedUnused() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img)) {
            DriverBuffer ungranted = new DriverBuffer(0x3f_0000, 512); // a page the frontend never granted
            int h1 = rig.submit(List.of(rig.header(IN, 0)),
                    List.of(new DriverBuffer(PageGrants.dma(ungranted.addr()), 512), rig.status()));
            assertEquals(new UsedElement(h1, 0), rig.awaitUsed());
            int h2 = rig.submit(List.of(rig.header(IN, 0)), List.of(ungranted, rig.status())); // bit 63 clear
            assertEquals(new UsedElement(h2, 0), rig.awaitUsed());
            assertEquals(2, rig.device.queue().counters().errors(VirtqueueError.BAD_ADDRESS));
            assertEquals(2, rig.counters.get(BlkbackCounters.Event.BAD_CHAIN));
            assertServes(rig);
        }
    }

    @Test
    void anAvailIdxJumpBreaksTheRingOnlyOfThatDevice() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img);
                BlkRig other = new BlkRig(new NullImage(1 << 20, false))) {
            rig.driver.setAvailIdx(BlkRig.QUEUE + 1);
            rig.device.kick();
            TestHost.await(() -> rig.resetReason.get() != null, 10_000, "DEVICE_NEEDS_RESET");
            assertTrue(rig.resetReason.get().contains("available idx moved"), rig.resetReason.get());
            assertEquals(1, rig.counters.get(BlkbackCounters.Event.NEEDS_RESET));
            assertEquals(0, rig.driver.usedIdx(), "a broken ring is not served");
            assertServes(other);
            assertNull(other.resetReason.get());
        }
    }

    @Test
    void aWritableHeaderIsIoerr() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img)) {
            DriverBuffer st = rig.status();
            DriverBuffer header = rig.buffer(new org.hvsim.virtio.blk.VirtioBlkRequestHeader(IN, 0, 0).encode(), false);
            int h = rig.submit(List.of(), List.of(header, rig.buffer(512, false), st));
            assertEquals(h, rig.awaitUsed().id());
            assertEquals(VirtioBlkStatus.IOERR, rig.read(st)[0]);
            assertEquals(1, rig.counters.get(BlkbackCounters.Event.IOERR));
            assertServes(rig);
        }
    }

    @Test
    void aReadOnlyDataBufferForARead() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img)) {
            // Data marked device-readable on an IN: the parser's IOERR.
            assertEquals(VirtioBlkStatus.IOERR, rig.request(IN, 0, List.of(rig.buffer(512, false)), List.of()));
            // Data marked device-writable but granted read-only: the grant refuses the write mapping.
            DriverBuffer st = rig.status();
            int h = rig.submit(List.of(rig.header(IN, 0)), List.of(rig.readOnlyAlone(512), st));
            assertEquals(new UsedElement(h, 0), rig.awaitUsed());
            assertEquals(1, rig.counters.get(BlkbackCounters.Event.IOERR));
            assertEquals(1, rig.counters.get(BlkbackCounters.Event.BAD_CHAIN));
            assertServes(rig);
        }
    }

    @Test
    void aRequestPastTheEndIsIoerr() throws Exception {
        try (RawFileImage img = rawImage(1 << 20, false); BlkRig rig = new BlkRig(img)) {
            long sectors = img.bytes() / 512;
            assertEquals(VirtioBlkStatus.IOERR, rig.request(IN, sectors - 1, List.of(), List.of(rig.buffer(1024, false))));
            assertEquals(VirtioBlkStatus.IOERR, rig.request(OUT, sectors, List.of(rig.buffer(512, true)), List.of()));
            assertEquals(2, rig.counters.get(BlkbackCounters.Event.IOERR));
            assertEquals(VirtioBlkStatus.OK, rig.request(IN, sectors - 1, List.of(), List.of(rig.buffer(512, false))));
            assertServes(rig);
        }
    }

    @Test
    void aReadOnlyDiskAnswersWritesWithIoerr() throws Exception {
        Path p = dir.resolve("ro.img");
        Files.write(p, pattern(1 << 16, 4));
        try (RawFileImage img = RawFileImage.open(p, true); BlkRig rig = new BlkRig(img)) {
            assertTrue(org.hvsim.virtio.VirtioFeature.has(rig.offer.features(),
                    org.hvsim.virtio.blk.VirtioBlkFeature.RO));
            assertEquals(VirtioBlkStatus.IOERR, rig.request(OUT, 0, List.of(rig.buffer(512, true)), List.of()));
            byte[] seg = new VirtioBlkSegment(0, 1, 0).encode();
            assertEquals(VirtioBlkStatus.IOERR,
                    rig.request(VirtioBlkRequestType.WRITE_ZEROES, 0, List.of(rig.buffer(seg, true)), List.of()));
            assertEquals(2, rig.counters.get(BlkbackCounters.Event.IOERR));
            assertArrayEquals(pattern(1 << 16, 4), Files.readAllBytes(p), "nothing written");
            DriverBuffer back = rig.buffer(512, false);
            assertEquals(VirtioBlkStatus.OK, rig.request(IN, 0, List.of(), List.of(back)));
            assertArrayEquals(Arrays.copyOf(pattern(1 << 16, 4), 512), rig.read(back));
        }
    }

    // ---- notifications ----

    @Test
    void usedNotificationsFollowUsedEvent() throws Exception {
        try (BlkRig rig = new BlkRig(new NullImage(1 << 20, false))) {
            assertEquals(VirtioBlkStatus.OK, rig.request(IN, 0, List.of(), List.of(rig.buffer(512, false))));
            TestHost.await(() -> rig.notifications.get() == 1, 10_000, "a notification: used_event asked for it");
            rig.driver.setUsedEvent(rig.driver.usedIdx() + 5); // not before five more
            for (int i = 0; i < 3; i++) {
                assertEquals(VirtioBlkStatus.OK, rig.request(IN, 0, List.of(), List.of(rig.buffer(512, false))));
                rig.driver.setUsedEvent(rig.driver.usedIdx() + 5);
            }
            assertEquals(1, rig.notifications.get(), "suppressed by used_event");
        }
    }

    @Test
    void anIdleDeviceAsksForAKickAtItsNextAvailIdx() throws Exception {
        try (BlkRig rig = new BlkRig(new NullImage(1 << 20, false))) {
            assertEquals(VirtioBlkStatus.OK, rig.request(IN, 0, List.of(), List.of(rig.buffer(512, false))));
            TestHost.await(() -> rig.counters.get(BlkbackCounters.Event.PARKED) > 0, 10_000, "the device to park");
            assertEquals(rig.driver.availIdx(), rig.driver.availEvent(), "avail_event = next avail idx");
            assertServes(rig);
            assertNotNull(rig.device.queue());
        }
    }
}
