package org.hvsim.virtio.ring;

import java.lang.invoke.VarHandle;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.virtio.dma.DmaTranslator;

/**
 * The device side of a split virtqueue: pops available chains (validated, translated, read once), adds used
 * elements, decides whether the driver needs a used-buffer notification (VIRTQ_AVAIL_F_NO_INTERRUPT, or the
 * {@code vring_need_event} rule on used_event with VIRTIO_F_EVENT_IDX) and asks for available-buffer
 * notifications (VIRTQ_USED_F_NO_NOTIFY, or avail_event).
 *
 * <p>The driver's available idx is read with acquire and the device's used idx published with release;
 * a full fence separates publishing from reading the driver's suppression fields, so no notification is lost
 * between two processes. An available idx that moved by more than the queue size, or a head index out of
 * range, breaks the queue: every later call fails with {@link VirtqueueError#QUEUE_BROKEN} and the device
 * should set DEVICE_NEEDS_RESET. Any other bad chain is consumed and reported with its head, which the device
 * returns with {@link #addUsed addUsed(head, 0)}. Every error is counted.
 *
 * <p>Threads: one device thread calls everything but {@link #counters()}, which any thread may read.
 */
public final class DeviceQueue {

    private final GuestMemory ring;
    private final VirtqueueLayout layout;
    private final DmaTranslator translator;
    private final RingFeatures features;
    private final VirtqueueCounters counters = new VirtqueueCounters();

    private int nextAvail;
    private int nextUsed;
    private int signalledUsed;
    private long usedSinceSignal;
    private boolean broken;

    private DeviceQueue(GuestMemory ring, VirtqueueLayout layout, DmaTranslator translator, RingFeatures features) {
        this.ring = ring;
        this.layout = layout;
        this.translator = translator;
        this.features = features;
    }

    /**
     * A device queue over {@code ring}, which must hold the whole layout; indices start at 0, as after a
     * reset. Buffers and indirect tables are reached through {@code translator}.
     */
    public static DeviceQueue create(GuestMemory ring, VirtqueueLayout layout, DmaTranslator translator,
            RingFeatures features) throws VirtqueueException {
        int n = layout.size();
        if (!ring.isAccessible(layout.descTable(), VirtqueueLayout.descTableBytes(n))
                || !ring.isAccessible(layout.availRing(), VirtqueueLayout.availRingBytes(n))
                || !ring.isAccessible(layout.usedRing(), VirtqueueLayout.usedRingBytes(n))) {
            throw new VirtqueueException(VirtqueueError.BAD_LAYOUT, -1, "ring areas outside the ring memory");
        }
        return new DeviceQueue(ring, layout, translator, features);
    }

    public VirtqueueLayout layout() {
        return layout;
    }

    public RingFeatures features() {
        return features;
    }

    public VirtqueueCounters counters() {
        return counters;
    }

    public boolean isBroken() {
        return broken;
    }

    /** The device's next available index (its last_avail_idx), 16-bit. */
    public int nextAvail() {
        return nextAvail;
    }

    /** The device's next used index, 16-bit. */
    public int nextUsed() {
        return nextUsed;
    }

    /** How many chains the driver has made available and the device not yet popped. */
    public int available() throws VirtqueueException {
        checkNotBroken();
        int availIdx = Short.toUnsignedInt(ring.getShortAcquire(layout.availIdx()));
        int pending = (availIdx - nextAvail) & 0xffff;
        if (pending > layout.size()) {
            throw fail(new VirtqueueException(VirtqueueError.AVAIL_IDX_JUMP, -1,
                    "idx " + availIdx + " is " + pending + " ahead of " + nextAvail + ", queue size " + layout.size()));
        }
        return pending;
    }

    /** The next available chain, validated and translated, or null if there is none. */
    public DescriptorChain pop() throws VirtqueueException {
        if (available() == 0) {
            return null;
        }
        int head = ring.getUnsignedShort(layout.availRingEntry(layout.slot(nextAvail)));
        nextAvail = (nextAvail + 1) & 0xffff;
        if (head >= layout.size()) {
            throw fail(new VirtqueueException(VirtqueueError.HEAD_OUT_OF_RANGE, -1,
                    "head " + head + ", queue size " + layout.size()));
        }
        try {
            DescriptorChain chain = DescriptorChainIterator.collect(ring, layout, translator, features, head);
            counters.count(VirtqueueCounters.Event.CHAIN_POPPED);
            return chain;
        } catch (VirtqueueException e) {
            throw fail(e);
        }
    }

    /**
     * Returns chain {@code head} to the driver with {@code len} bytes written to its device-writable part, and
     * publishes the new used idx (release).
     */
    public void addUsed(int head, long len) throws VirtqueueException {
        checkNotBroken();
        if (head < 0 || head >= layout.size() || len < 0 || len > 0xffff_ffffL) {
            throw new IllegalArgumentException("used element (" + head + ", " + len + ")");
        }
        long elem = layout.usedElement(layout.slot(nextUsed));
        ring.putInt(elem, head);
        ring.putInt(elem + 4, (int) len);
        nextUsed = (nextUsed + 1) & 0xffff;
        usedSinceSignal++;
        ring.putShortRelease(layout.usedIdx(), (short) nextUsed);
        counters.count(VirtqueueCounters.Event.USED_ADDED);
    }

    /**
     * Whether the driver must get a used-buffer notification for the used elements added since the last
     * call: with EVENT_IDX, iff used_event lies in [used idx at the last call, used idx now); otherwise iff
     * any was added and VIRTQ_AVAIL_F_NO_INTERRUPT is clear. After 65536 or more used elements since the last
     * call the 16-bit indices cannot tell, so it notifies (spurious notifications are harmless).
     */
    public boolean needsNotification() {
        VarHandle.fullFence();
        int old = signalledUsed;
        signalledUsed = nextUsed;
        long since = usedSinceSignal;
        usedSinceSignal = 0;
        boolean notify;
        if (since > 0xffff) {
            notify = true;
        } else if (features.eventIdx()) {
            int usedEvent = Short.toUnsignedInt(ring.getShortAcquire(layout.usedEvent()));
            notify = VringEvent.needEvent(usedEvent, nextUsed, old);
        } else {
            notify = since > 0 && (ring.getShortAcquire(layout.availFlags()) & AvailFlags.NO_INTERRUPT) == 0;
        }
        if (since > 0) {
            counters.count(notify ? VirtqueueCounters.Event.NOTIFICATION_SENT
                    : VirtqueueCounters.Event.NOTIFICATION_SUPPRESSED);
        }
        return notify;
    }

    /**
     * Asks for a kick when the driver next makes a buffer available: avail_event = the device's next
     * available index with EVENT_IDX, else VIRTQ_USED_F_NO_NOTIFY cleared. Then looks again, so a chain made
     * available meanwhile is not missed: returns whether any is available.
     */
    public boolean enableNotification() throws VirtqueueException {
        checkNotBroken();
        if (features.eventIdx()) {
            ring.putShortRelease(layout.availEvent(), (short) nextAvail);
        } else {
            ring.putShortRelease(layout.usedFlags(), (short) 0);
        }
        VarHandle.fullFence();
        return available() > 0;
    }

    /** Asks the driver not to kick (VIRTQ_USED_F_NO_NOTIFY; with EVENT_IDX avail_event is left behind instead). */
    public void disableNotification() {
        if (!features.eventIdx()) {
            ring.putShortRelease(layout.usedFlags(), (short) UsedFlags.NO_NOTIFY);
        }
    }

    private void checkNotBroken() throws VirtqueueException {
        if (broken) {
            counters.count(VirtqueueError.QUEUE_BROKEN);
            throw new VirtqueueException(VirtqueueError.QUEUE_BROKEN, -1, "reset the device");
        }
    }

    private VirtqueueException fail(VirtqueueException e) {
        counters.count(e.error());
        if (e.breaksQueue()) {
            broken = true;
        }
        return e;
    }
}
