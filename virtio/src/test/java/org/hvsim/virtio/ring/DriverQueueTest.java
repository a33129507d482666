package org.hvsim.virtio.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.virtio.dma.IdentityDmaTranslator;
import org.junit.jupiter.api.Test;

/** The driver side of the split ring, byte for byte, and both sides together (wrap-around, suppression, threads). */
class DriverQueueTest {

    private final SegmentGuestMemory mem = SegmentGuestMemory.allocate(1 << 20);
    private final VirtqueueLayout layout = VirtqueueLayout.contiguous(4, 0x1000);

    private DeviceQueue device(boolean eventIdx) throws VirtqueueException {
        return DeviceQueue.create(mem, layout, new IdentityDmaTranslator(mem), new RingFeatures(eventIdx, true, true));
    }

    @Test
    void addWritesTheDescriptorsAndTheAvailableEntryByteForByte() {
        DriverQueue q = DriverQueue.create(mem, layout, false);
        int head = q.add(List.of(new DriverBuffer(0x8000, 16)), List.of(new DriverBuffer(0x9000, 513)));
        assertEquals(0, head);
        assertEquals(0x8000, mem.getLong(layout.descriptor(0)));
        assertEquals(16, mem.getInt(layout.descriptor(0) + 8));
        assertEquals(Descriptor.F_NEXT, mem.getShort(layout.descriptor(0) + 12));
        assertEquals(1, mem.getShort(layout.descriptor(0) + 14));
        assertEquals(new Descriptor(0x9000, 513, Descriptor.F_WRITE, 0), Descriptor.read(mem, layout.descriptor(1)));
        assertEquals(0, mem.getShort(layout.availRingEntry(0)));
        assertEquals(0, mem.getShort(layout.availIdx()), "not visible before publish");
        q.publish();
        assertEquals(1, mem.getShort(layout.availIdx()));
        assertEquals(2, q.numFree());
    }

    @Test
    void addIndirectUsesOneDescriptorPointingAtTheTable() {
        DriverQueue q = DriverQueue.create(mem, layout, false);
        int head = q.addIndirect(List.of(new DriverBuffer(0x8000, 16)),
                List.of(new DriverBuffer(0x9000, 4096), new DriverBuffer(0xa000, 1)), 0x20000, 0x20000);
        assertEquals(new Descriptor(0x20000, 48, Descriptor.F_INDIRECT, 0), Descriptor.read(mem, layout.descriptor(head)));
        assertEquals(new Descriptor(0x8000, 16, Descriptor.F_NEXT, 1), Descriptor.read(mem, 0x20000));
        assertEquals(new Descriptor(0x9000, 4096, Descriptor.F_WRITE | Descriptor.F_NEXT, 2), Descriptor.read(mem, 0x20010));
        assertEquals(new Descriptor(0xa000, 1, Descriptor.F_WRITE, 0), Descriptor.read(mem, 0x20020));
        assertEquals(3, q.numFree());
    }

    @Test
    void aFullQueueRefusesMore() {
        DriverQueue q = DriverQueue.create(mem, layout, false);
        assertEquals(0, q.add(List.of(new DriverBuffer(0x8000, 1), new DriverBuffer(0x8000, 1)), List.of()));
        assertEquals(2, q.add(List.of(new DriverBuffer(0x8000, 1)), List.of(new DriverBuffer(0x8000, 1))));
        assertEquals(-1, q.add(List.of(new DriverBuffer(0x8000, 1)), List.of()));
        assertEquals(-1, q.addIndirect(List.of(new DriverBuffer(0x8000, 1)), List.of(), 0x20000, 0x20000));
    }

    @Test
    void reclaimReturnsUsedChainsAndTheirDescriptors() throws Exception {
        DriverQueue q = DriverQueue.create(mem, layout, false);
        DeviceQueue d = device(false);
        int h1 = q.add(List.of(new DriverBuffer(0x8000, 1)), List.of(new DriverBuffer(0x9000, 8)));
        int h2 = q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.publish();
        assertNull(q.reclaim());
        d.addUsed(d.pop().head(), 8);
        assertEquals(new UsedElement(h1, 8), q.reclaim());
        assertNull(q.reclaim());
        assertEquals(h2, d.pop().head());
        d.addUsed(h2, 0);
        assertEquals(new UsedElement(h2, 0), q.reclaim());
        assertEquals(4, q.numFree());
        assertEquals(0, q.inFlight());
    }

    @Test
    void aDeviceNamingAChainNotInFlightIsCaught() throws Exception {
        DriverQueue q = DriverQueue.create(mem, layout, false);
        q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.publish();
        mem.putInt(layout.usedElement(0), 3);
        mem.putShort(layout.usedIdx(), (short) 1);
        assertEquals(VirtqueueError.USED_ID_INVALID, assertThrows(VirtqueueException.class, q::reclaim).error());
        mem.putShort(layout.usedIdx(), (short) 2);
        assertEquals(VirtqueueError.USED_IDX_JUMP, assertThrows(VirtqueueException.class, q::reclaim).error());
    }

    @Test
    void withoutEventIdxTheDriverKicksUnlessNoNotify() throws Exception {
        DriverQueue q = DriverQueue.create(mem, layout, false);
        DeviceQueue d = device(false);
        assertFalse(q.kickNeeded(), "nothing published");
        q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.publish();
        assertTrue(q.kickNeeded());
        d.disableNotification();
        q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.publish();
        assertFalse(q.kickNeeded());
    }

    @Test
    void withEventIdxTheDriverKicksOnlyWhenAvailEventIsCrossed() throws Exception {
        DriverQueue q = DriverQueue.create(mem, layout, true);
        DeviceQueue d = device(true);
        assertFalse(d.enableNotification()); // avail_event = 0
        q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.publish();
        assertTrue(q.kickNeeded()); // entry 0 written
        q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.publish();
        assertFalse(q.kickNeeded(), "the device has not asked again");
        d.pop();
        d.pop();
        assertFalse(d.enableNotification()); // avail_event = 2
        q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.publish();
        assertTrue(q.kickNeeded());
    }

    @Test
    void hasUsedLooksWithoutAskingForANotification() throws Exception {
        DriverQueue q = DriverQueue.create(mem, layout, true);
        DeviceQueue d = device(true);
        q.setUsedEvent(7);
        assertFalse(q.hasUsed());
        q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.publish();
        assertFalse(q.hasUsed());
        d.addUsed(d.pop().head(), 0);
        assertTrue(q.hasUsed());
        assertEquals(7, mem.getShort(layout.usedEvent()), "a look leaves used_event alone");
        q.reclaim();
        assertFalse(q.hasUsed());
    }

    @Test
    void driverAndDeviceAgreeOnUsedEvent() throws Exception {
        DriverQueue q = DriverQueue.create(mem, layout, true);
        DeviceQueue d = device(true);
        q.enableInterrupts(); // used_event = 0
        q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
        q.publish();
        d.addUsed(d.pop().head(), 0);
        assertTrue(d.needsNotification());
        d.addUsed(d.pop().head(), 0);
        assertFalse(d.needsNotification(), "used_event still 0");
        q.reclaim();
        assertTrue(q.enableInterrupts(), "one more used chain is waiting");
        q.reclaim();
        assertFalse(q.enableInterrupts());
        q.setUsedEvent(5);
        assertEquals(5, mem.getShort(layout.usedEvent()));
    }

    @Test
    void disablingInterruptsWithoutEventIdxSetsNoInterrupt() {
        DriverQueue q = DriverQueue.create(mem, layout, false);
        q.disableInterrupts();
        assertEquals(AvailFlags.NO_INTERRUPT, mem.getShort(layout.availFlags()));
        assertFalse(q.enableInterrupts());
        assertEquals(0, mem.getShort(layout.availFlags()));
        assertThrows(IllegalStateException.class, () -> q.setUsedEvent(1));
    }

    /** 65536 chains between two decisions look like none in 16 bits: both sides then notify rather than stall. */
    @Test
    void aFullTurnOfTheIndicesBetweenTwoDecisionsStillNotifies() throws Exception {
        DriverQueue q = DriverQueue.create(mem, layout, true);
        DeviceQueue d = device(true);
        assertFalse(d.enableNotification());
        q.enableInterrupts();
        for (int i = 0; i < 65536; i++) {
            q.add(List.of(new DriverBuffer(0x8000, 1)), List.of());
            q.publish();
            d.addUsed(d.pop().head(), 0);
            q.reclaim();
        }
        assertEquals(0, q.availIdx());
        assertTrue(q.kickNeeded());
        assertTrue(d.needsNotification());
        assertFalse(q.kickNeeded());
        assertFalse(d.needsNotification());
    }

    /** Both 16-bit indices wrap (more than 65536 chains through a queue of 4), direct and indirect alternating. */
    @Test
    void indicesWrapAround() throws Exception {
        for (boolean eventIdx : new boolean[] {false, true}) {
            DriverQueue q = DriverQueue.create(mem, layout, eventIdx);
            DeviceQueue d = device(eventIdx);
            d.enableNotification();
            q.enableInterrupts();
            int kicks = 0;
            int interrupts = 0;
            for (int i = 0; i < 70_000; i++) {
                long addr = 0x10000 + (i % 7) * 16;
                mem.putInt(addr, i);
                int head = i % 2 == 0
                        ? q.add(List.of(new DriverBuffer(addr, 4)), List.of(new DriverBuffer(0x30000, 4)))
                        : q.addIndirect(List.of(new DriverBuffer(addr, 4)), List.of(), 0x40000, 0x40000);
                q.publish();
                kicks += q.kickNeeded() ? 1 : 0;
                DescriptorChain c = d.pop();
                assertEquals(head, c.head());
                assertEquals(i, c.readable().regions().getFirst().memory().getInt(c.readable().regions().getFirst().address()));
                assertFalse(d.enableNotification());
                d.addUsed(c.head(), c.writable().length());
                interrupts += d.needsNotification() ? 1 : 0;
                assertEquals(new UsedElement(head, c.writable().length()), q.reclaim());
                q.enableInterrupts();
            }
            assertEquals(70_000 & 0xffff, d.nextAvail());
            assertEquals(70_000 & 0xffff, d.nextUsed());
            assertEquals(70_000 & 0xffff, q.availIdx());
            assertEquals(4, q.numFree());
            // the driver re-arms every time, so every chain is kicked and interrupted, across the wrap too
            assertEquals(70_000, kicks);
            assertEquals(70_000, interrupts);
        }
    }

    /** A driver thread and a device thread over shared memory: every chain arrives whole, in order, once. */
    @Test
    void aDriverThreadAndADeviceThreadExchangeChains() throws Exception {
        SegmentGuestMemory shared = SegmentGuestMemory.allocate(1 << 20);
        VirtqueueLayout l = VirtqueueLayout.contiguous(64, 0x1000);
        DriverQueue q = DriverQueue.create(shared, l, true);
        DeviceQueue d = DeviceQueue.create(shared, l, new IdentityDmaTranslator(shared), new RingFeatures(true, true, true));
        int total = 200_000;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CompletableFuture<Long> device = CompletableFuture.supplyAsync(() -> {
            long sum = 0;
            int seen = 0;
            try {
                while (seen < total) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("device saw " + seen);
                    }
                    DescriptorChain c = d.pop();
                    if (c == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    var r = c.readable().regions().getFirst();
                    int v = r.memory().getInt(r.address());
                    if (v != seen) {
                        throw new AssertionError("chain " + seen + " carried " + v);
                    }
                    sum += v;
                    seen++;
                    d.addUsed(c.head(), 0);
                }
            } catch (VirtqueueException e) {
                throw new AssertionError(e);
            }
            return sum;
        });
        int sent = 0;
        int reclaimed = 0;
        while (reclaimed < total) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("driver sent " + sent + ", reclaimed " + reclaimed);
            }
            if (sent < total && q.numFree() > 0) {
                long addr = 0x20000 + 16L * (sent % 64);
                // slot reuse is safe: a buffer is rewritten only after its chain was reclaimed
                shared.putInt(addr, sent);
                q.add(List.of(new DriverBuffer(addr, 4)), List.of());
                q.publish();
                sent++;
            }
            if (q.reclaim() != null) {
                reclaimed++;
            }
        }
        assertEquals((long) total * (total - 1) / 2, device.get(60, TimeUnit.SECONDS));
    }
}
