package org.hvsim.virtio.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.virtio.dma.GuestRegion;
import org.hvsim.virtio.dma.IdentityDmaTranslator;
import org.junit.jupiter.api.Test;

/** The device side of the split ring against chains the mock driver writes, well-formed and hostile. */
class DeviceQueueTest {

    private static final RingFeatures PLAIN = new RingFeatures(false, true, true);
    private static final RingFeatures EVENT_IDX = new RingFeatures(true, true, true);

    private final MockDriver drv = new MockDriver(8);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void popsADirectChainOfReadableThenWritableBuffers() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        DriverBuffer hdr = drv.buffer(bytes("header"));
        DriverBuffer data = drv.buffer(bytes("payload!"));
        DriverBuffer status = drv.buffer(4);
        drv.offer(drv.chain(new int[] {3, 0, 6}, List.of(hdr, data), List.of(status)));

        assertEquals(1, q.available());
        DescriptorChain c = q.pop();
        assertEquals(3, c.head());
        assertEquals(3, c.descriptorCount());
        assertEquals(14, c.readable().length());
        assertEquals("headerpayload!", new String(c.readable().readBytes(0, 14), StandardCharsets.US_ASCII));
        assertEquals(4, c.writable().length());
        assertTrue(c.writable().regions().getFirst().writable());
        assertNull(q.pop());
    }

    @Test
    void popsAnIndirectTableAndAChainEndingInOne() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        DriverBuffer a = drv.buffer(bytes("ab"));
        DriverBuffer b = drv.buffer(bytes("cd"));
        DriverBuffer w = drv.buffer(3);
        long table = drv.indirectTable(List.of(b), List.of(w));
        drv.desc(1, a.addr(), a.len(), Descriptor.F_NEXT, 2);
        drv.desc(2, table, 32, Descriptor.F_INDIRECT | Descriptor.F_WRITE, 0); // WRITE on the pointer is ignored
        drv.offer(1);
        DescriptorChain c = q.pop();
        assertEquals(1, c.head());
        assertEquals("abcd", new String(c.readable().readBytes(0, 4), StandardCharsets.US_ASCII));
        assertEquals(3, c.writable().length());
        assertEquals(3, c.descriptorCount());
    }

    @Test
    void addUsedWritesTheElementThenPublishesTheIndex() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        drv.offer(drv.chain(new int[] {5}, List.of(), List.of(drv.buffer(16))));
        DescriptorChain c = q.pop();
        c.writable().write(0, bytes("hi"), 0, 2);
        q.addUsed(c.head(), 2);
        assertEquals(1, drv.usedIdx());
        assertEquals(new UsedElement(5, 2), drv.used(0));
        assertEquals(1, q.counters().events(VirtqueueCounters.Event.USED_ADDED));
    }

    @Test
    void theDeviceCannotWriteAReadableBuffer() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        drv.offer(drv.chain(new int[] {0}, List.of(drv.buffer(8)), List.of()));
        DescriptorChain c = q.pop();
        assertThrows(IllegalStateException.class, () -> c.readable().write(0, new byte[1], 0, 1));
    }

    // --- hostile chains: each spoils one chain, is counted, and the queue carries on ---

    private VirtqueueException popFails(DeviceQueue q, VirtqueueError expected) {
        VirtqueueException e = assertThrows(VirtqueueException.class, q::pop);
        assertEquals(expected, e.error(), e.getMessage());
        assertTrue(q.counters().errors(expected) >= 1);
        return e;
    }

    /** After a per-chain error the device returns the chain unused and the next good chain still works. */
    private void carriesOn(DeviceQueue q, VirtqueueException e) throws Exception {
        assertFalse(q.isBroken());
        q.addUsed(e.head(), 0);
        DriverBuffer ok = drv.buffer(1);
        drv.desc(7, ok.addr(), 1, Descriptor.F_WRITE, 0);
        drv.offer(7);
        assertEquals(7, q.pop().head());
    }

    @Test
    void aDescriptorLoopIsRejected() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        long a = drv.buffer(8).addr();
        drv.desc(0, a, 8, Descriptor.F_NEXT, 1);
        drv.desc(1, a, 8, Descriptor.F_NEXT, 2);
        drv.desc(2, a, 8, Descriptor.F_NEXT, 0);
        drv.offer(0);
        VirtqueueException e = popFails(q, VirtqueueError.DESCRIPTOR_LOOP);
        assertEquals(0, e.head());
        carriesOn(q, e);
    }

    @Test
    void aSelfLoopInAnIndirectTableIsRejected() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        long a = drv.buffer(8).addr();
        long table = drv.indirectTable(List.of(new Descriptor(a, 8, Descriptor.F_NEXT, 1),
                new Descriptor(a, 8, Descriptor.F_NEXT, 1)));
        drv.desc(2, table, 32, Descriptor.F_INDIRECT, 0);
        drv.offer(2);
        carriesOn(q, popFails(q, VirtqueueError.DESCRIPTOR_LOOP));
    }

    @Test
    void aChainLongerThanTheQueueIsRejected() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        long a = drv.buffer(8).addr();
        // 3 direct descriptors, then an indirect table of 6: 9 buffers in a queue of 8
        drv.desc(0, a, 8, Descriptor.F_NEXT, 1);
        drv.desc(1, a, 8, Descriptor.F_NEXT, 2);
        drv.desc(2, a, 8, Descriptor.F_NEXT, 3);
        Descriptor[] t = new Descriptor[6];
        for (int i = 0; i < 6; i++) {
            t[i] = new Descriptor(a, 8, i < 5 ? Descriptor.F_NEXT : 0, i + 1);
        }
        drv.desc(3, drv.indirectTable(List.of(t)), 16 * 6, Descriptor.F_INDIRECT, 0);
        drv.offer(0);
        carriesOn(q, popFails(q, VirtqueueError.CHAIN_TOO_LONG));
    }

    @Test
    void aChainOfMoreThan4GiBIsRejected() throws Exception {
        // a translator that maps anything, so that only the byte count can stop the chain
        DeviceQueue q = DeviceQueue.create(drv.memory(), drv.layout(),
                (addr, len, write) -> new GuestRegion(drv.memory(), addr, len, write), PLAIN);
        long a = drv.buffer(8).addr();
        drv.desc(0, a, 0xffff_ffffL, Descriptor.F_NEXT, 1);
        drv.desc(1, a, 2, 0, 0);
        drv.offer(0);
        carriesOn(q, popFails(q, VirtqueueError.CHAIN_TOO_MANY_BYTES));
    }

    @Test
    void aNextIndexOutOfRangeIsRejected() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        drv.desc(0, drv.buffer(8).addr(), 8, Descriptor.F_NEXT, 8);
        drv.offer(0);
        carriesOn(q, popFails(q, VirtqueueError.NEXT_OUT_OF_RANGE));
    }

    @Test
    void aNextIndexOutsideTheIndirectTableIsRejected() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        long a = drv.buffer(8).addr();
        long table = drv.indirectTable(List.of(new Descriptor(a, 8, Descriptor.F_NEXT, 2), new Descriptor(a, 8, 0, 0)));
        drv.desc(0, table, 32, Descriptor.F_INDIRECT, 0);
        drv.offer(0);
        carriesOn(q, popFails(q, VirtqueueError.NEXT_OUT_OF_RANGE));
    }

    @Test
    void badIndirectTablesAreRejected() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        long a = drv.buffer(8).addr();
        long table = drv.indirectTable(List.of(new Descriptor(a, 8, 0, 0)));
        long nested = drv.indirectTable(List.of(new Descriptor(table, 16, Descriptor.F_INDIRECT, 0)));

        drv.desc(0, table, 24, Descriptor.F_INDIRECT, 0);
        drv.offer(0);
        popFails(q, VirtqueueError.INDIRECT_BAD_LENGTH);
        drv.desc(0, table, 0, Descriptor.F_INDIRECT, 0);
        drv.offer(0);
        popFails(q, VirtqueueError.INDIRECT_EMPTY);
        drv.desc(0, table, 16 * 9, Descriptor.F_INDIRECT, 0);
        drv.offer(0);
        popFails(q, VirtqueueError.INDIRECT_TOO_LONG);
        drv.desc(0, nested, 16, Descriptor.F_INDIRECT, 0);
        drv.offer(0);
        popFails(q, VirtqueueError.NESTED_INDIRECT);
        drv.desc(0, table, 16, Descriptor.F_INDIRECT | Descriptor.F_NEXT, 1);
        drv.offer(0);
        popFails(q, VirtqueueError.INDIRECT_WITH_NEXT);
        drv.desc(0, 0x7fff_0000L, 16, Descriptor.F_INDIRECT, 0);
        drv.offer(0);
        popFails(q, VirtqueueError.BAD_ADDRESS);
        assertEquals(6, q.counters().totalErrors());
        assertFalse(q.isBroken());
    }

    @Test
    void indirectDescriptorsNeedTheFeature() throws Exception {
        DeviceQueue q = drv.deviceQueue(new RingFeatures(false, false, true));
        long table = drv.indirectTable(List.of(drv.buffer(8)), List.of());
        drv.desc(0, table, 16, Descriptor.F_INDIRECT, 0);
        drv.offer(0);
        popFails(q, VirtqueueError.INDIRECT_NOT_NEGOTIATED);
    }

    @Test
    void readableAfterWritableIsRejectedWhenTheDeviceRequiresTheOrder() throws Exception {
        long a = drv.buffer(8).addr();
        drv.desc(0, a, 8, Descriptor.F_WRITE | Descriptor.F_NEXT, 1);
        drv.desc(1, a, 8, 0, 0);
        drv.offer(0);
        popFails(drv.deviceQueue(PLAIN), VirtqueueError.READABLE_AFTER_WRITABLE);
        DeviceQueue lax = drv.deviceQueue(new RingFeatures(false, true, false));
        DescriptorChain c = lax.pop();
        assertEquals(8, c.readable().length());
        assertEquals(8, c.writable().length());
    }

    @Test
    void aBufferOutsideMemoryTheDeviceMayAccessIsRejected() throws Exception {
        // the device may only reach the arena: addresses of the ring itself or past the end are refused
        SegmentGuestMemory mem = drv.memory();
        long arena = drv.arenaStart();
        DeviceQueue q = DeviceQueue.create(mem, drv.layout(), (addr, len, write) -> {
            if (addr < arena) {
                throw new org.hvsim.virtio.dma.DmaFault(addr, len, "not granted");
            }
            return new IdentityDmaTranslator(mem).translate(addr, len, write);
        }, PLAIN);
        drv.desc(0, drv.layout().descTable(), 16, Descriptor.F_WRITE, 0);
        drv.offer(0);
        carriesOn(q, popFails(q, VirtqueueError.BAD_ADDRESS));
        drv.desc(0, mem.size() - 4, 8, 0, 0);
        drv.offer(0);
        popFails(q, VirtqueueError.BAD_ADDRESS);
    }

    @Test
    void zeroLengthBuffersAreSkippedNotTranslated() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        DriverBuffer w = drv.buffer(2);
        drv.desc(0, 0xdead_0000L, 0, Descriptor.F_NEXT, 1);
        drv.desc(1, w.addr(), 2, Descriptor.F_WRITE, 0);
        drv.offer(0);
        DescriptorChain c = q.pop();
        assertEquals(0, c.readable().length());
        assertEquals(List.of(new GuestRegion(drv.memory(), w.addr(), 2, true)), c.writable().regions());
        assertEquals(2, c.descriptorCount());
    }

    // --- errors that break the queue ---

    @Test
    void anAvailIdxJumpBreaksTheQueueUntilReset() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        drv.setAvailIdx(9); // 9 chains in a queue of 8
        VirtqueueException e = assertThrows(VirtqueueException.class, q::pop);
        assertEquals(VirtqueueError.AVAIL_IDX_JUMP, e.error());
        assertTrue(e.breaksQueue());
        assertTrue(q.isBroken());
        drv.setAvailIdx(1);
        assertEquals(VirtqueueError.QUEUE_BROKEN, assertThrows(VirtqueueException.class, q::pop).error());
        assertEquals(VirtqueueError.QUEUE_BROKEN, assertThrows(VirtqueueException.class, () -> q.addUsed(0, 0)).error());
        assertEquals(1, q.counters().errors(VirtqueueError.AVAIL_IDX_JUMP));
        assertEquals(2, q.counters().errors(VirtqueueError.QUEUE_BROKEN));
    }

    @Test
    void anAvailIdxGoingBackwardsIsAJumpToo() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        drv.setAvailIdx(65535); // "moved" by 65535
        assertEquals(VirtqueueError.AVAIL_IDX_JUMP, assertThrows(VirtqueueException.class, q::available).error());
    }

    @Test
    void exactlyAQueueSizeOfChainsIsFine() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        DriverBuffer b = drv.buffer(1);
        for (int i = 0; i < 8; i++) {
            drv.desc(i, b.addr(), 1, Descriptor.F_WRITE, 0);
            drv.offer(i);
        }
        assertEquals(8, q.available());
        for (int i = 0; i < 8; i++) {
            assertEquals(i, q.pop().head());
        }
    }

    @Test
    void aHeadOutOfRangeBreaksTheQueue() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        drv.offer(8);
        assertEquals(VirtqueueError.HEAD_OUT_OF_RANGE, assertThrows(VirtqueueException.class, q::pop).error());
        assertTrue(q.isBroken());
    }

    @Test
    void aRingOutsideItsMemoryIsRefusedAtSetup() {
        SegmentGuestMemory small = SegmentGuestMemory.allocate(0x100);
        VirtqueueException e = assertThrows(VirtqueueException.class, () -> DeviceQueue.create(small,
                VirtqueueLayout.contiguous(256, 0), new IdentityDmaTranslator(small), PLAIN));
        assertEquals(VirtqueueError.BAD_LAYOUT, e.error());
    }

    // --- notifications ---

    private void completeOne(DeviceQueue q) throws Exception {
        int head = drv.availIdx() & 7;
        drv.desc(head, drv.arenaStart(), 1, Descriptor.F_WRITE, 0);
        drv.offer(head);
        DescriptorChain c = q.pop();
        q.addUsed(c.head(), 1);
    }

    @Test
    void withoutEventIdxTheNoInterruptFlagSuppressesNotifications() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        assertFalse(q.needsNotification(), "nothing used yet");
        completeOne(q);
        assertTrue(q.needsNotification());
        assertFalse(q.needsNotification(), "nothing new since");
        drv.setAvailFlags(AvailFlags.NO_INTERRUPT);
        completeOne(q);
        assertFalse(q.needsNotification());
        assertEquals(1, q.counters().events(VirtqueueCounters.Event.NOTIFICATION_SUPPRESSED));
    }

    @Test
    void withEventIdxTheDeviceNotifiesWhenUsedEventIsCrossed() throws Exception {
        DeviceQueue q = drv.deviceQueue(EVENT_IDX);
        drv.setAvailFlags(AvailFlags.NO_INTERRUPT); // ignored with EVENT_IDX
        drv.setUsedEvent(2); // notify when the entry with index 2 is written
        completeOne(q); // used idx 1
        assertFalse(q.needsNotification());
        completeOne(q); // 2
        assertFalse(q.needsNotification());
        completeOne(q); // 3: entry 2 written
        assertTrue(q.needsNotification());
        completeOne(q);
        completeOne(q);
        assertFalse(q.needsNotification());
        drv.setUsedEvent(6);
        completeOne(q);
        completeOne(q); // 5 → 7 crosses 6 in one decision
        assertTrue(q.needsNotification());
    }

    @Test
    void enablingNotificationsPublishesAvailEventOrClearsNoNotify() throws Exception {
        DeviceQueue plain = drv.deviceQueue(PLAIN);
        plain.disableNotification();
        assertEquals(UsedFlags.NO_NOTIFY, drv.usedFlags());
        assertFalse(plain.enableNotification());
        assertEquals(0, drv.usedFlags());

        MockDriver d2 = new MockDriver(8);
        DeviceQueue q = d2.deviceQueue(EVENT_IDX);
        d2.desc(0, d2.arenaStart(), 1, Descriptor.F_WRITE, 0);
        d2.offer(0);
        d2.offer(0);
        q.pop();
        assertTrue(q.enableNotification(), "a chain is still waiting");
        assertEquals(1, d2.availEvent());
        q.pop();
        assertFalse(q.enableNotification());
        assertEquals(2, d2.availEvent());
        q.disableNotification();
        assertEquals(0, d2.usedFlags(), "with EVENT_IDX the device leaves flags 0");
    }

    @Test
    void regionsAreReadOnceIntoTheChain() throws Exception {
        DeviceQueue q = drv.deviceQueue(PLAIN);
        DriverBuffer b = drv.buffer(bytes("abc"));
        drv.desc(0, b.addr(), 3, 0, 0);
        drv.offer(0);
        DescriptorChain c = q.pop();
        drv.desc(0, 0xbad0000L, 99, Descriptor.F_WRITE, 0); // the driver changes its mind after the pop
        assertArrayEquals(bytes("abc"), c.readable().readBytes(0, 3));
        assertEquals(0, c.writable().length());
    }
}
