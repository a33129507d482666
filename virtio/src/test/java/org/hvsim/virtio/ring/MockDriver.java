package org.hvsim.virtio.ring;

import java.util.List;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.virtio.dma.IdentityDmaTranslator;

/**
 * A driver-side ring writer for device tests, over a real heap {@link SegmentGuestMemory}: it lays out a queue,
 * allocates buffers and indirect tables from an arena, and writes descriptors, available-ring entries and
 * indices byte for byte, well-formed or not (loops, overlong chains, bad indices, avail idx jumps). It keeps
 * its own available idx, apart from any {@link DriverQueue}.
 *
 * <p>Memory map: the ring at {@link #RING_BASE}, the buffer arena from the next page to the end.
 * Not thread-safe.
 */
public final class MockDriver {

    public static final long RING_BASE = 0x1000;

    private final SegmentGuestMemory memory;
    private final VirtqueueLayout layout;
    private final long arenaStart;
    private long arenaNext;
    private int availIdx;

    public MockDriver(int queueSize, long memorySize) {
        this.memory = SegmentGuestMemory.allocate(memorySize);
        this.layout = VirtqueueLayout.contiguous(queueSize, RING_BASE);
        long ringEnd = layout.usedRing() + VirtqueueLayout.usedRingBytes(queueSize);
        this.arenaStart = (ringEnd + 0xfff) & ~0xfffL;
        this.arenaNext = arenaStart;
        if (arenaStart > memorySize) {
            throw new IllegalArgumentException("memory too small for the ring");
        }
    }

    public MockDriver(int queueSize) {
        this(queueSize, 1 << 20);
    }

    public SegmentGuestMemory memory() {
        return memory;
    }

    public VirtqueueLayout layout() {
        return layout;
    }

    public IdentityDmaTranslator translator() {
        return new IdentityDmaTranslator(memory);
    }

    /** A device queue over this ring with identity translation. */
    public DeviceQueue deviceQueue(RingFeatures features) {
        try {
            return DeviceQueue.create(memory, layout, translator(), features);
        } catch (VirtqueueException e) {
            throw new AssertionError(e);
        }
    }

    public long arenaStart() {
        return arenaStart;
    }

    /** {@code len} bytes of the arena, 16-aligned. */
    public long alloc(long len) {
        long a = arenaNext;
        arenaNext = (arenaNext + Math.max(len, 1) + 15) & ~15L;
        if (arenaNext > memory.size()) {
            throw new IllegalStateException("arena exhausted");
        }
        return a;
    }

    /** A buffer holding {@code content}. */
    public DriverBuffer buffer(byte[] content) {
        long a = alloc(content.length);
        memory.write(a, content);
        return new DriverBuffer(a, content.length);
    }

    /** An empty (zeroed) buffer of {@code len} bytes. */
    public DriverBuffer buffer(int len) {
        return new DriverBuffer(alloc(len), len);
    }

    /** Writes descriptor {@code index} of the table as given. */
    public void desc(int index, long addr, long len, int flags, int next) {
        new Descriptor(addr, len, flags, next).write(memory, layout.descriptor(index));
    }

    /**
     * Writes a well-formed direct chain at descriptors {@code indices} (in chain order): {@code readable} then
     * {@code writable} buffers. Returns the head.
     */
    public int chain(int[] indices, List<DriverBuffer> readable, List<DriverBuffer> writable) {
        int n = readable.size() + writable.size();
        if (indices.length != n) {
            throw new IllegalArgumentException(indices.length + " indices for " + n + " buffers");
        }
        for (int i = 0; i < n; i++) {
            boolean write = i >= readable.size();
            DriverBuffer b = write ? writable.get(i - readable.size()) : readable.get(i);
            boolean last = i == n - 1;
            desc(indices[i], b.addr(), b.len(), (write ? Descriptor.F_WRITE : 0) | (last ? 0 : Descriptor.F_NEXT),
                    last ? 0 : indices[i + 1]);
        }
        return indices[0];
    }

    /** Writes an indirect table of {@code entries} in the arena; returns its address. */
    public long indirectTable(List<Descriptor> entries) {
        long a = alloc((long) Descriptor.SIZE * Math.max(entries.size(), 1));
        for (int i = 0; i < entries.size(); i++) {
            entries.get(i).write(memory, a + (long) Descriptor.SIZE * i);
        }
        return a;
    }

    /** A well-formed indirect table of readable then writable buffers, linked 0→1→…; returns its address. */
    public long indirectTable(List<DriverBuffer> readable, List<DriverBuffer> writable) {
        int n = readable.size() + writable.size();
        Descriptor[] d = new Descriptor[n];
        for (int i = 0; i < n; i++) {
            boolean write = i >= readable.size();
            DriverBuffer b = write ? writable.get(i - readable.size()) : readable.get(i);
            boolean last = i == n - 1;
            d[i] = new Descriptor(b.addr(), b.len(), (write ? Descriptor.F_WRITE : 0) | (last ? 0 : Descriptor.F_NEXT),
                    last ? 0 : i + 1);
        }
        return indirectTable(List.of(d));
    }

    /** Puts {@code head} in the next available slot and publishes the new available idx (release). */
    public void offer(int head) {
        memory.putShort(layout.availRingEntry(layout.slot(availIdx)), (short) head);
        availIdx = (availIdx + 1) & 0xffff;
        memory.putShortRelease(layout.availIdx(), (short) availIdx);
    }

    /** Writes the available idx as given, whatever the ring holds (to make it jump). */
    public void setAvailIdx(int idx) {
        availIdx = idx & 0xffff;
        memory.putShortRelease(layout.availIdx(), (short) availIdx);
    }

    public int availIdx() {
        return availIdx;
    }

    public void setAvailFlags(int flags) {
        memory.putShortRelease(layout.availFlags(), (short) flags);
    }

    public void setUsedEvent(int idx) {
        memory.putShortRelease(layout.usedEvent(), (short) idx);
    }

    public int usedIdx() {
        return memory.getUnsignedShort(layout.usedIdx());
    }

    public int usedFlags() {
        return memory.getUnsignedShort(layout.usedFlags());
    }

    public int availEvent() {
        return memory.getUnsignedShort(layout.availEvent());
    }

    /** The used element in {@code slot} of the used ring. */
    public UsedElement used(int slot) {
        long e = layout.usedElement(slot);
        return new UsedElement(memory.getInt(e), memory.getUnsignedInt(e + 4));
    }

    public byte[] read(DriverBuffer b) {
        return memory.readBytes(b.addr(), (int) b.len());
    }
}
