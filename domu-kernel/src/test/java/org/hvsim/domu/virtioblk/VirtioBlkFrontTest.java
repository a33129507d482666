package org.hvsim.domu.virtioblk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hvsim.domu.blk.BlockRequest;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.blkbench.BlkBenchEngine;
import org.hvsim.domu.blkbench.BlkBenchJob;
import org.hvsim.domu.blkbench.BlkBenchResult;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.xenbus.XenbusRig;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.xenbus.XenbusState;
import org.hvsim.virtio.VirtioFeature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The virtio-blk frontend against a stand-in backend that follows the xenbus contract through a test
 * xenstored and serves the queue with the virtio module's {@link org.hvsim.virtio.ring.DeviceQueue} over the
 * same memory; the test thread is vCPU 0.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtioBlkFrontTest {
    private static final int PAGES = 4096;
    private static final int DISK = 1 << 20;

    private final XenbusRig rig = new XenbusRig(PAGES);
    private final RigPlatform platform = new RigPlatform(rig, PAGES);
    private final StandInBackend backend = new StandInBackend(rig, platform, DISK);
    private final VbdBus bus = new VbdBus(rig.client, platform);
    private final PerCpu cpu = rig.cpu();

    @AfterEach
    void close() throws InterruptedException {
        backend.close();
        rig.close();
        assertEquals(List.of(), rig.xenstored.problems());
    }

    private VirtioBlkFront started(boolean readOnly) {
        backend.layOut(readOnly).start();
        bus.start(cpu);
        idleUntil(() -> bus.find("xvda").isPresent(), "the probe");
        return bus.find("xvda").orElseThrow();
    }

    private VirtioBlkFront connected() {
        VirtioBlkFront f = started(false);
        idleUntil(f::connected, "the connection");
        return f;
    }

    /** vCPU 0 waits in the kernel's way (xenwatch work, the port's upcall, block) until {@code done}. */
    private void idleUntil(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what + "; reports " + platform.reports
                        + ", backend problems " + backend.problems);
            }
            platform.waitForEvent(cpu, done, 0);
        }
    }

    private String front(String key) {
        return rig.xenstored.value(StandInBackend.FRONTEND + "/" + key).orElse(null);
    }

    private GuestBuffer buffer(int bytes) {
        int pages = (bytes + Page.SIZE - 1) / Page.SIZE;
        long[] addrs = new long[pages];
        for (int i = 0; i < pages; i++) {
            addrs[i] = Page.addressOf(platform.allocateZeroedFrame(cpu));
        }
        return new GuestBuffer(rig.memory(), addrs, bytes);
    }

    /** Submits, kicks and waits for {@code rs}; returns them in completion order. */
    private List<BlockRequest> runAll(VirtioBlkFront f, List<BlockRequest> rs) {
        for (BlockRequest r : rs) {
            assertTrue(f.submit(r));
        }
        f.kick(cpu);
        List<BlockRequest> done = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (done.size() < rs.size()) {
            if (f.reap(done::add) == 0) {
                assertTrue(System.nanoTime() - deadline < 0, "completions: " + done.size() + " of " + rs.size());
                f.awaitCompletion(cpu);
            }
        }
        return done;
    }

    @Test
    void theHandshakeWritesTheContractsKeysAndConnects() {
        VirtioBlkFront f = connected();
        assertEquals(List.of(), backend.problems);
        assertEquals(Long.toHexString(StandInBackend.OFFER), front("virtio-driver-features"),
                "everything offered is wanted");
        assertEquals("256", front("queue-0/size"));
        assertEquals(Integer.toString(RigPlatform.PORT), front("event-channel"));
        assertEquals("4", front("state"));
        for (String area : List.of("desc", "avail", "used")) {
            RigPlatform.Grant g = platform.grants.get(Integer.parseInt(front("queue-0/" + area + "-ref")));
            assertEquals(0, g.domid());
            assertEquals(!area.equals("used"), g.readonly(), area);
        }
        assertEquals("xvda", f.name());
        assertTrue(f.isNamed("51712"));
        assertEquals(DISK, f.capacityBytes());
        assertFalse(f.readOnly());
        assertEquals(256, f.queueDepth(), "one descriptor per request with indirect tables");
        assertEquals(XenbusState.CONNECTED, f.state());
        assertTrue(platform.reports.getLast().startsWith("blkfront: xvda: virtio-blk, 2048 sectors (1 MiB), "
                + "read-write, queue 256"), platform.reports.toString());
    }

    @Test
    void aWorkloadGetsItsConnectedDiskOrWhyNot() throws Exception {
        VirtioBlkFront f = connected();
        assertSame(f, bus.awaitConnected(cpu, "xvda", 5));
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> bus.awaitConnected(cpu, "xvdz", 0));
        assertEquals("no block device xvdz (this domain has xvda)", e.getMessage());
    }

    @Test
    void aWaitingVcpuReturnsAtOnceForAUsedChainAndOtherwiseAsksForTheNextOne() {
        VirtioBlkFront f = connected();
        VirtioBlkQueue q = f.queue().orElseThrow();
        GuestBuffer b = buffer(Page.SIZE);
        f.prepare(cpu, b);
        int before = q.usedEvent();
        assertTrue(f.submit(new BlockRequest(b).reset(BlockRequest.Op.READ, 0, Page.SIZE)));
        f.kick(cpu);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!q.completionWaiting()) {
            assertTrue(System.nanoTime() - deadline < 0, "the backend to use the chain");
            Thread.onSpinWait();
        }
        f.awaitCompletion(cpu);
        assertEquals(before, q.usedEvent(), "a used chain already there: no new used_event");
        List<BlockRequest> done = new ArrayList<>();
        assertEquals(1, f.reap(done::add));
        assertEquals(BlockRequest.Status.OK, done.getFirst().status());
        // nothing in flight: polls, then asks for the next used idx and blocks (an event the first request
        // left pending may end the first wait before it asks)
        for (int i = 0; i < 5 && q.usedEvent() == before; i++) {
            f.awaitCompletion(cpu);
        }
        assertEquals(1, (q.usedEvent() - before) & 0xffff, "used_event is the next used idx");
    }

    @Test
    void writesAndReadsMoveDataThroughPagesGrantedOnce() {
        VirtioBlkFront f = connected();
        GuestBuffer out = buffer(3 * Page.SIZE);
        GuestBuffer in = buffer(3 * Page.SIZE);
        f.prepare(cpu, out);
        f.prepare(cpu, in);
        byte[] data = new byte[3 * Page.SIZE];
        new SplittableRandom(1).nextBytes(data);
        out.write(0, data, 0, data.length);
        int refs = 0;
        for (int round = 0; round < 3; round++) {
            if (round == 1) {
                refs = platform.nextRef.get();   // the data pages, and the indirect tables of the slots used
            }
            List<BlockRequest> w = runAll(f, List.of(new BlockRequest(out).reset(BlockRequest.Op.WRITE, 8192,
                    data.length)));
            assertEquals(BlockRequest.Status.OK, w.getFirst().status());
            byte[] onDisk = new byte[data.length];
            System.arraycopy(backend.disk, 8192, onDisk, 0, data.length);
            assertArrayEquals(data, onDisk);
            List<BlockRequest> r = runAll(f, List.of(new BlockRequest(in).reset(BlockRequest.Op.READ, 8192,
                    data.length), new BlockRequest(in).reset(BlockRequest.Op.FLUSH, 0, 0)));
            r.forEach(x -> assertEquals(BlockRequest.Status.OK, x.status()));
            byte[] back = new byte[data.length];
            in.read(0, back, 0, back.length);
            assertArrayEquals(data, back);
        }
        assertEquals(refs, platform.nextRef.get(), "steady-state I/O grants nothing more");
        assertEquals(6, f.queue().orElseThrow().dataPagesGranted(), "each data page once, writable");
        assertEquals(3, backend.flushes.get());
        assertEquals(List.of(), backend.problems);
    }

    @Test
    void aBlkbenchJobWithVerificationRunsEndToEnd() {
        VirtioBlkFront f = connected();
        for (String cl : List.of("rw=randrw bs=4k iodepth=16 size=512k verify=crc32c fsync=8",
                "rw=write bs=16k iodepth=8 verify=crc32c", "rw=read bs=64k iodepth=4 verify=crc32c")) {
            BlkBenchJob job = BlkBenchJob.from(CommandLine.parse("app=blkbench " + cl));
            List<GuestBuffer> buffers = new ArrayList<>();
            for (int i = 0; i < BlkBenchEngine.slots(job, f); i++) {
                GuestBuffer b = buffer(job.blockSize());
                f.prepare(cpu, b);
                buffers.add(b);
            }
            BlkBenchResult r = new BlkBenchEngine(job, f, buffers, System::nanoTime).run(cpu);
            assertEquals(0, r.ioErrors(), cl + ": " + r.errorSamples());
            assertEquals(0, r.verifyErrors(), cl + ": " + r.errorSamples());
            assertTrue(r.verifiedSectors() > 0, cl);
            assertTrue(r.ios() > 0, cl);
        }
        assertEquals(List.of(), backend.problems);
        assertTrue(backend.flushes.get() > 0);
    }

    @Test
    void theRingIndicesWrapAroundOverManyRequests() {
        backend.queueMaxSize = 4;
        VirtioBlkFront f = connected();
        assertEquals("4", front("queue-0/size"));
        List<BlockRequest> slots = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GuestBuffer b = buffer(512);
            f.prepare(cpu, b);
            slots.add(new BlockRequest(b));
        }
        SplittableRandom random = new SplittableRandom(3);
        int total = 70_000;
        int submitted = 0;
        int completed = 0;
        List<BlockRequest> idle = new ArrayList<>(slots);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        while (completed < total) {
            assertTrue(System.nanoTime() - deadline < 0, completed + " of " + total);
            boolean any = false;
            while (!idle.isEmpty() && submitted < total) {
                BlockRequest r = idle.removeLast();
                r.reset(random.nextBoolean() ? BlockRequest.Op.READ : BlockRequest.Op.WRITE,
                        512L * random.nextInt(DISK / 512), 512);
                assertTrue(f.submit(r));
                submitted++;
                any = true;
            }
            if (any) {
                f.kick(cpu);
            }
            List<BlockRequest> done = new ArrayList<>();
            if (f.reap(done::add) == 0) {
                f.awaitCompletion(cpu);
            }
            for (BlockRequest r : done) {
                assertEquals(BlockRequest.Status.OK, r.status());
                idle.add(r);
                completed++;
            }
        }
        assertEquals(total & 0xffff, f.queue().orElseThrow().availIdx(), "the 16-bit index wrapped");
        assertEquals(total & 0xffff, backend.queue.nextUsed());
        assertEquals(List.of(), backend.problems);
        assertTrue(backend.notifications.get() < total, "EVENT_IDX suppressed notifications: "
                + backend.notifications.get());
    }

    @Test
    void aBackendThatRefusesTheFrontendsKeysLeavesItClosedWithItsGrantsEnded() {
        backend.refusal = "queue-0/size 256 is too large";
        VirtioBlkFront f = started(false);
        idleUntil(() -> f.state() == XenbusState.CLOSED, "Closed");
        assertEquals("backend refused: \"queue-0/size 256 is too large\"", f.failure().orElseThrow());
        assertFalse(f.connected());
        assertFalse(f.awaitConnected(cpu, cpu.now() + 1_000_000_000L));
        assertEquals("6", front("state"));
        assertTrue(platform.grants.isEmpty(), "grants left: " + platform.grants);
        assertTrue(platform.portClosed);
        assertTrue(platform.reports.stream().anyMatch(l -> l.contains("queue-0/size 256 is too large")),
                platform.reports.toString());
        assertFalse(f.submit(new BlockRequest(buffer(512)).reset(BlockRequest.Op.READ, 0, 512)));
    }

    @Test
    void aFrontendThatCannotUseTheOfferSaysWhyAndCloses() {
        backend.offered = StandInBackend.OFFER & ~VirtioFeature.mask(VirtioFeature.ACCESS_PLATFORM);
        VirtioBlkFront f = started(false);
        idleUntil(() -> f.state() == XenbusState.CLOSED, "Closed");
        assertEquals("backend does not offer VIRTIO_F_ACCESS_PLATFORM", f.failure().orElseThrow());
        assertEquals(List.of("blkfront: xvda: cannot use the backend: backend does not offer VIRTIO_F_ACCESS_PLATFORM",
                "blkfront: xvda: closed"), platform.reports);
        assertEquals(null, front("queue-0/size"), "nothing published");
    }

    @Test
    void aBackendClosingMidIoFailsTheRequestsInFlightThenTheFrontendCloses() {
        VirtioBlkFront f = connected();
        backend.hold = true;
        List<BlockRequest> rs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GuestBuffer b = buffer(Page.SIZE);
            f.prepare(cpu, b);
            rs.add(new BlockRequest(b).reset(BlockRequest.Op.READ, (long) i * Page.SIZE, Page.SIZE));
        }
        for (BlockRequest r : rs) {
            assertTrue(f.submit(r));
        }
        f.kick(cpu);
        backend.detach();
        List<BlockRequest> done = new ArrayList<>();
        idleUntil(() -> {
            f.reap(done::add);
            return done.size() == 4;
        }, "the failed requests");
        done.forEach(r -> assertEquals(BlockRequest.Status.IOERR, r.status()));
        idleUntil(() -> f.state() == XenbusState.CLOSED, "Closed");
        assertEquals("6", front("state"));
        assertTrue(platform.grants.isEmpty(), "every grant ended after the backend closed: " + platform.grants);
        assertTrue(platform.portClosed);
        assertFalse(f.submit(rs.getFirst().reset(BlockRequest.Op.READ, 0, 512)));
        assertTrue(platform.reports.contains("blkfront: xvda: backend closing; 4 requests in flight failed"),
                platform.reports.toString());
    }

    @Test
    void deviceNeedsResetFailsTheRequestsInFlightAndIsReported() {
        VirtioBlkFront f = connected();
        backend.hold = true;
        GuestBuffer b = buffer(Page.SIZE);
        f.prepare(cpu, b);
        BlockRequest r = new BlockRequest(b).reset(BlockRequest.Op.WRITE, 0, Page.SIZE);
        assertTrue(f.submit(r));
        f.kick(cpu);
        backend.breakRing();
        List<BlockRequest> done = new ArrayList<>();
        idleUntil(() -> {
            f.reap(done::add);
            return !done.isEmpty();
        }, "the failed request");
        assertEquals(BlockRequest.Status.IOERR, r.status());
        assertEquals("device needs reset: \"avail idx jumped (test)\"", f.failure().orElseThrow());
        assertTrue(platform.reports.contains("blkfront: xvda: device needs reset (virtio-device-status 79): "
                + "\"avail idx jumped (test)\"; 1 request in flight failed"), platform.reports.toString());
        assertFalse(f.submit(r.reset(BlockRequest.Op.READ, 0, 512)));
        assertFalse(f.connected());
    }

    @Test
    void aDeviceAttachedLaterIsProbedAndAMalformedOneIsReportedOnce() {
        bus.start(cpu);
        idleUntil(() -> rig.client.xenwatch().ran() >= 1, "the first firing");
        assertEquals(List.of(), bus.devices());
        rig.xenstored.write(VbdBus.VBD_DIR + "/99/backend-id", "0");
        rig.xenstored.write(VbdBus.VBD_DIR + "/99/backend", "backend/vbd/7/99");
        rig.xenstored.write(VbdBus.VBD_DIR + "/99/state", "1");
        backend.layOut(false).start();
        idleUntil(() -> bus.find("xvda").map(VirtioBlkFront::connected).orElse(false), "the later device");
        assertEquals(1, bus.devices().size());
        assertEquals(List.of("blkfront: device/vbd/\"99\": backend \"backend/vbd/7/99\""),
                platform.reports.stream().filter(l -> l.contains("99")).toList());
    }

    @Test
    void aReadOnlyDiskSaysSo() {
        VirtioBlkFront f = started(true);
        idleUntil(f::connected, "the connection");
        assertTrue(f.readOnly());
        assertTrue(VirtioFeature.has(Long.parseUnsignedLong(front("virtio-driver-features"), 16), 5));
    }

    @Test
    void theConfigTheBackendWroteIsDecodedFromHex() {
        VirtioBlkFront f = connected();
        String hex = rig.xenstored.value(StandInBackend.BACKEND + "/virtio-config").orElseThrow();
        assertEquals(DISK / 512, java.nio.ByteBuffer.wrap(HexFormat.of().parseHex(hex))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals(DISK, f.capacityBytes());
    }
}
