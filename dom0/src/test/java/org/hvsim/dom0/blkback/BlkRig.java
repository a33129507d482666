package org.hvsim.dom0.blkback;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.virtio.VirtioFeature;
import org.hvsim.virtio.blk.VirtioBlkRequestHeader;
import org.hvsim.virtio.blk.VirtioBlkRequestParser;
import org.hvsim.virtio.ring.DeviceQueue;
import org.hvsim.virtio.ring.DriverBuffer;
import org.hvsim.virtio.ring.MockDriver;
import org.hvsim.virtio.ring.RingFeatures;
import org.hvsim.virtio.ring.UsedElement;
import org.hvsim.virtio.ring.VirtqueueException;
import org.slf4j.LoggerFactory;

/**
 * A device under test and a hand-driven frontend: MockDriver's ring over a test memory, data addresses as grant
 * DMA addresses resolved by {@link PageGrants}, the device's thread running. Threads: the test's.
 */
final class BlkRig implements AutoCloseable {
    static final int QUEUE = 16;

    final MockDriver driver = new MockDriver(QUEUE, 4 << 20);
    final PageGrants grants = new PageGrants(driver.memory());
    final BlockImage image;
    final VirtioBlkOffer offer;
    final long negotiated;
    final VirtioBlkDevice device;
    final AtomicInteger notifications = new AtomicInteger();
    final AtomicReference<String> resetReason = new AtomicReference<>();
    final BlkbackCounters counters = new BlkbackCounters();
    private int nextDesc;
    private int usedSeen;

    BlkRig(BlockImage image) throws VirtqueueException {
        this.image = image;
        offer = VirtioBlkOffer.of(image.bytes(), image.readOnly());
        negotiated = offer.features();
        DeviceQueue q = DeviceQueue.create(driver.memory(), driver.layout(),
                new org.hvsim.virtio.dma.GrantDmaTranslator(grants), RingFeatures.of(negotiated));
        device = new VirtioBlkDevice("test-vbd", q, new VirtioBlkRequestParser(offer.limits(negotiated)),
                new BlkRequestExecutor(image, "xvda-51712"), notifications::incrementAndGet, resetReason::set, counters,
                RateLimitedLog.standard(LoggerFactory.getLogger(BlkRig.class)), VirtioBlkDevice.DEFAULT_SPIN_NANOS);
        // The driver asks for every used-buffer notification (used_event follows used idx).
        driver.setUsedEvent(0);
        device.start();
    }

    boolean eventIdx() {
        return VirtioFeature.has(negotiated, VirtioFeature.EVENT_IDX);
    }

    /** A granted buffer: content, or {@code len} zero bytes; its grant DMA address in place of its address. */
    DriverBuffer buffer(byte[] content, boolean ro) {
        DriverBuffer b = driver.buffer(content);
        grants.grant(b.addr(), b.len(), ro);
        return new DriverBuffer(PageGrants.dma(b.addr()), b.len());
    }

    DriverBuffer buffer(int len, boolean ro) {
        DriverBuffer b = driver.buffer(len);
        grants.grant(b.addr(), b.len(), ro);
        return new DriverBuffer(PageGrants.dma(b.addr()), b.len());
    }

    /** A buffer alone on its own pages, granted read-only (so no other buffer makes them writable). */
    DriverBuffer readOnlyAlone(int len) {
        toPageBoundary();
        DriverBuffer b = buffer(len, true);
        toPageBoundary();
        return b;
    }

    private void toPageBoundary() {
        long a = driver.alloc(16);
        long pad = (4096 - (a + 16) % 4096) % 4096;
        if (pad > 0) {
            driver.alloc(pad);
        }
    }

    /** Guest-physical address of a buffer made by {@link #buffer}. */
    static long phys(DriverBuffer b) {
        return b.addr() & ~(1L << 63);
    }

    byte[] read(DriverBuffer b) {
        return driver.memory().readBytes(phys(b), (int) b.len());
    }

    DriverBuffer header(int type, long sector) {
        return buffer(new VirtioBlkRequestHeader(type, 0, sector).encode(), true);
    }

    DriverBuffer status() {
        return buffer(new byte[] {(byte) 0xff}, false);
    }

    /** The next {@code n} free descriptor indices (the test never has more than the queue in flight). */
    int[] descs(int n) {
        int[] d = new int[n];
        for (int i = 0; i < n; i++) {
            d[i] = nextDesc;
            nextDesc = (nextDesc + 1) % QUEUE;
        }
        return d;
    }

    /** Offers a chain of {@code readable} then {@code writable} buffers and kicks; its head. */
    int submit(List<DriverBuffer> readable, List<DriverBuffer> writable) {
        int head = driver.chain(descs(readable.size() + writable.size()), readable, writable);
        offer(head);
        return head;
    }

    void offer(int head) {
        driver.offer(head);
        device.kick();
    }

    /** Waits for the next used element. */
    UsedElement awaitUsed() {
        int want = usedSeen + 1;
        TestHost.await(() -> ((driver.usedIdx() - want) & 0x8000) == 0, 10_000, "used element " + want);
        UsedElement e = driver.used(usedSeen % QUEUE);
        usedSeen = (usedSeen + 1) & 0xffff;
        driver.setUsedEvent(usedSeen);
        return e;
    }

    /** A whole request: header, data, status; waits for it and returns its status byte. */
    int request(int type, long sector, List<DriverBuffer> readData, List<DriverBuffer> writeData) {
        DriverBuffer st = status();
        List<DriverBuffer> r = new ArrayList<>();
        r.add(header(type, sector));
        r.addAll(readData);
        List<DriverBuffer> w = new ArrayList<>(writeData);
        w.add(st);
        submit(r, w);
        awaitUsed();
        return Byte.toUnsignedInt(read(st)[0]);
    }

    @Override
    public void close() {
        device.close();
    }
}
