package org.hvsim.virtio.ring;

import java.lang.invoke.VarHandle;
import java.util.List;
import org.hvsim.hv.abi.GuestMemory;

/**
 * The driver side of a split virtqueue: adds chains of device-readable then device-writable buffers, direct
 * or through an indirect table, publishes the available idx (release), decides whether to kick the device
 * (VIRTQ_USED_F_NO_NOTIFY, or {@code vring_need_event} on avail_event with EVENT_IDX), reclaims used
 * chains (acquire on the used idx) and asks for or suppresses used-buffer notifications (avail flags, or
 * used_event). The free-descriptor list and the chain lengths are kept privately, not in shared memory, so
 * a device cannot corrupt them; used elements it writes are checked against the chains in flight.
 *
 * <p>Threads: one driver thread at a time (callers serialise).
 */
public final class DriverQueue {

    private final GuestMemory memory;
    private final VirtqueueLayout layout;
    private final boolean eventIdx;
    private final int[] freeNext;
    private final int[] chainLength;
    private int freeHead;
    private int numFree;
    private int availIdx;
    private int publishedIdx;
    private int kickedIdx;
    private long publishedSinceKick;
    private int lastUsed;

    private DriverQueue(GuestMemory memory, VirtqueueLayout layout, boolean eventIdx) {
        this.memory = memory;
        this.layout = layout;
        this.eventIdx = eventIdx;
        int n = layout.size();
        this.freeNext = new int[n];
        this.chainLength = new int[n];
        for (int i = 0; i < n; i++) {
            freeNext[i] = i + 1;
        }
        this.numFree = n;
    }

    /** A driver queue over {@code memory}, whose three ring areas it zeroes (used flags start at 0). */
    public static DriverQueue create(GuestMemory memory, VirtqueueLayout layout, boolean eventIdx) {
        int n = layout.size();
        memory.fill(layout.descTable(), VirtqueueLayout.descTableBytes(n), (byte) 0);
        memory.fill(layout.availRing(), VirtqueueLayout.availRingBytes(n), (byte) 0);
        memory.fill(layout.usedRing(), VirtqueueLayout.usedRingBytes(n), (byte) 0);
        return new DriverQueue(memory, layout, eventIdx);
    }

    public VirtqueueLayout layout() {
        return layout;
    }

    public int numFree() {
        return numFree;
    }

    /** Chains added and not yet reclaimed. */
    public int inFlight() {
        return (availIdx - lastUsed) & 0xffff;
    }

    /** The driver's available idx (including chains not yet published). */
    public int availIdx() {
        return availIdx;
    }

    /**
     * Adds a chain of {@code readable} then {@code writable} buffers, one descriptor each, and puts its head
     * in the available ring (not yet visible: see {@link #publish}). Returns the head, or -1 if there are not
     * enough free descriptors.
     */
    public int add(List<DriverBuffer> readable, List<DriverBuffer> writable) {
        int total = readable.size() + writable.size();
        if (total == 0) {
            throw new IllegalArgumentException("empty chain");
        }
        if (total > numFree) {
            return -1;
        }
        int head = freeHead;
        int d = head;
        for (int i = 0; i < total; i++) {
            boolean write = i >= readable.size();
            DriverBuffer b = write ? writable.get(i - readable.size()) : readable.get(i);
            boolean last = i == total - 1;
            int next = freeNext[d];
            int flags = (write ? Descriptor.F_WRITE : 0) | (last ? 0 : Descriptor.F_NEXT);
            new Descriptor(b.addr(), b.len(), flags, last ? 0 : next).write(memory, layout.descriptor(d));
            if (!last) {
                d = next;
            }
            freeHead = next;
        }
        numFree -= total;
        chainLength[head] = total;
        pushAvail(head);
        return head;
    }

    /**
     * Adds a chain as one descriptor pointing to an indirect table of {@code readable} then {@code writable}
     * entries. The driver writes the table at {@code tableAddress} of its memory; the descriptor names it by
     * {@code tableDmaAddress} (the same under identity translation, a grant address on Xen). Returns the head,
     * or -1 if no descriptor is free.
     */
    public int addIndirect(List<DriverBuffer> readable, List<DriverBuffer> writable, long tableAddress,
            long tableDmaAddress) {
        int total = readable.size() + writable.size();
        if (total == 0 || total > layout.size()) {
            throw new IllegalArgumentException("indirect table of " + total + " entries");
        }
        if (numFree == 0) {
            return -1;
        }
        for (int i = 0; i < total; i++) {
            boolean write = i >= readable.size();
            DriverBuffer b = write ? writable.get(i - readable.size()) : readable.get(i);
            boolean last = i == total - 1;
            int flags = (write ? Descriptor.F_WRITE : 0) | (last ? 0 : Descriptor.F_NEXT);
            new Descriptor(b.addr(), b.len(), flags, last ? 0 : i + 1)
                    .write(memory, tableAddress + (long) Descriptor.SIZE * i);
        }
        int head = freeHead;
        freeHead = freeNext[head];
        numFree--;
        new Descriptor(tableDmaAddress, (long) Descriptor.SIZE * total, Descriptor.F_INDIRECT, 0)
                .write(memory, layout.descriptor(head));
        chainLength[head] = 1;
        pushAvail(head);
        return head;
    }

    private void pushAvail(int head) {
        memory.putShort(layout.availRingEntry(layout.slot(availIdx)), (short) head);
        availIdx = (availIdx + 1) & 0xffff;
    }

    /** Makes the chains added so far visible to the device: available idx, stored with release. */
    public void publish() {
        memory.putShortRelease(layout.availIdx(), (short) availIdx);
        publishedSinceKick += (availIdx - publishedIdx) & 0xffff;
        publishedIdx = availIdx;
    }

    /**
     * Whether the device wants an available-buffer notification for the chains published since the last
     * call: with EVENT_IDX iff avail_event lies in [available idx at the last call, available idx now);
     * otherwise iff any was published and VIRTQ_USED_F_NO_NOTIFY is clear. After 65536 or more chains since
     * the last call the 16-bit indices cannot tell, so it kicks (a spurious kick is harmless; a lost one is not).
     */
    public boolean kickNeeded() {
        VarHandle.fullFence();
        int old = kickedIdx;
        kickedIdx = publishedIdx;
        long since = publishedSinceKick;
        publishedSinceKick = 0;
        if (since > 0xffff) {
            return true;
        }
        if (eventIdx) {
            int availEvent = Short.toUnsignedInt(memory.getShortAcquire(layout.availEvent()));
            return VringEvent.needEvent(availEvent, publishedIdx, old);
        }
        return since > 0 && (memory.getShortAcquire(layout.usedFlags()) & UsedFlags.NO_NOTIFY) == 0;
    }

    /**
     * The next used chain, whose descriptors return to the free list, or null if the device has used none
     * since the last call.
     */
    public UsedElement reclaim() throws VirtqueueException {
        int usedIdx = Short.toUnsignedInt(memory.getShortAcquire(layout.usedIdx()));
        int pending = (usedIdx - lastUsed) & 0xffff;
        if (pending == 0) {
            return null;
        }
        if (pending > inFlight()) {
            throw new VirtqueueException(VirtqueueError.USED_IDX_JUMP, -1,
                    "used idx " + usedIdx + " is " + pending + " ahead with " + inFlight() + " in flight");
        }
        long elem = layout.usedElement(layout.slot(lastUsed));
        long id = memory.getUnsignedInt(elem);
        long len = memory.getUnsignedInt(elem + 4);
        if (id >= layout.size() || chainLength[(int) id] == 0) {
            throw new VirtqueueException(VirtqueueError.USED_ID_INVALID, -1, "id " + id);
        }
        int head = (int) id;
        freeChain(head);
        lastUsed = (lastUsed + 1) & 0xffff;
        return new UsedElement(head, len);
    }

    private void freeChain(int head) {
        int n = chainLength[head];
        chainLength[head] = 0;
        int tail = head;
        for (int i = 1; i < n; i++) {
            tail = freeNext[tail]; // a chain was taken from the free list in order, so its links are still there
        }
        freeNext[tail] = freeHead;
        freeHead = head;
        numFree += n;
    }

    /**
     * Asks for a used-buffer notification when the device next uses a chain (used_event = the next used
     * index with EVENT_IDX, else VIRTQ_AVAIL_F_NO_INTERRUPT cleared), then looks again: returns whether a
     * used chain is already waiting.
     */
    public boolean enableInterrupts() {
        if (eventIdx) {
            memory.putShortRelease(layout.usedEvent(), (short) lastUsed);
        } else {
            memory.putShortRelease(layout.availFlags(), (short) 0);
        }
        VarHandle.fullFence();
        return Short.toUnsignedInt(memory.getShortAcquire(layout.usedIdx())) != lastUsed;
    }

    /** Whether the device has used a chain this driver has not reclaimed yet (a look, no notification asked). */
    public boolean hasUsed() {
        return Short.toUnsignedInt(memory.getShortAcquire(layout.usedIdx())) != lastUsed;
    }

    /** Asks for no used-buffer notifications (VIRTQ_AVAIL_F_NO_INTERRUPT; with EVENT_IDX, used_event is left behind). */
    public void disableInterrupts() {
        if (!eventIdx) {
            memory.putShortRelease(layout.availFlags(), (short) AvailFlags.NO_INTERRUPT);
        }
    }

    /** Publishes used_event = {@code idx}: notify me once the device's used idx passes it (EVENT_IDX only). */
    public void setUsedEvent(int idx) {
        if (!eventIdx) {
            throw new IllegalStateException("VIRTIO_F_EVENT_IDX not negotiated");
        }
        memory.putShortRelease(layout.usedEvent(), (short) idx);
    }
}
