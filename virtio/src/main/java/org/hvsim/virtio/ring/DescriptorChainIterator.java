package org.hvsim.virtio.ring;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.virtio.dma.DmaFault;
import org.hvsim.virtio.dma.DmaTranslator;
import org.hvsim.virtio.dma.GuestRegion;
import org.hvsim.virtio.dma.RegionList;

/**
 * Walks one descriptor chain from its head, device side, and hands out its buffers translated. Every
 * descriptor is read once. The walk is bounded: it visits each entry of a table at most once (a second visit
 * is a {@link VirtqueueError#DESCRIPTOR_LOOP}), follows at most one indirect table, accepts at most queue-size
 * buffer descriptors in all and at most 2^32 bytes. Checks, in the order they apply to each descriptor:
 * loop; for an INDIRECT one, negotiated, not nested, no NEXT, length a positive multiple of 16 of at most
 * queue-size entries, table translatable; otherwise chain length, readable-after-writable (if the device
 * requires the order), total bytes, buffer translatable (zero-length buffers are skipped, not translated);
 * then the next index within its table.
 *
 * <p>Not thread-safe: one per walk, on the device's queue thread.
 */
public final class DescriptorChainIterator {

    /** At most 2^32 bytes per chain. */
    public static final long MAX_CHAIN_BYTES = 1L << 32;

    private final DmaTranslator translator;
    private final RingFeatures features;
    private final int queueSize;
    private final int head;

    private GuestMemory tableMemory;
    private long tableBase;
    private int tableSize;
    private long[] visited;
    private boolean inIndirect;
    private int index;
    private boolean done;
    private int count;
    private long bytes;
    private boolean seenWritable;

    /** A walk of the chain at {@code head}, which the caller has checked is below the queue size. */
    public DescriptorChainIterator(GuestMemory ring, VirtqueueLayout layout, DmaTranslator translator,
            RingFeatures features, int head) {
        if (head < 0 || head >= layout.size()) {
            throw new IllegalArgumentException("head " + head);
        }
        this.translator = translator;
        this.features = features;
        this.queueSize = layout.size();
        this.head = head;
        this.tableMemory = ring;
        this.tableBase = layout.descTable();
        this.tableSize = queueSize;
        this.visited = new long[(queueSize + 63) >>> 6];
        this.index = head;
    }

    /** Walks the whole chain at {@code head} and collects its buffers. */
    public static DescriptorChain collect(GuestMemory ring, VirtqueueLayout layout, DmaTranslator translator,
            RingFeatures features, int head) throws VirtqueueException {
        DescriptorChainIterator it = new DescriptorChainIterator(ring, layout, translator, features, head);
        List<GuestRegion> readable = new ArrayList<>();
        List<GuestRegion> writable = new ArrayList<>();
        for (GuestRegion r = it.next(); r != null; r = it.next()) {
            (r.writable() ? writable : readable).add(r);
        }
        return new DescriptorChain(head, RegionList.of(readable), RegionList.of(writable), it.count);
    }

    /** The next non-empty buffer of the chain, or null at its end. */
    public GuestRegion next() throws VirtqueueException {
        while (!done) {
            if (visit(index)) {
                throw error(VirtqueueError.DESCRIPTOR_LOOP, "entry " + index + (inIndirect ? " of the indirect table" : "")
                        + " visited twice");
            }
            Descriptor d = Descriptor.read(tableMemory, tableBase + (long) Descriptor.SIZE * index);
            if (d.isIndirect()) {
                enterIndirect(d);
                continue;
            }
            if (++count > queueSize) {
                throw error(VirtqueueError.CHAIN_TOO_LONG, "more than " + queueSize + " descriptors");
            }
            if (d.isWritable()) {
                seenWritable = true;
            } else if (seenWritable && features.writableAfterReadable()) {
                throw error(VirtqueueError.READABLE_AFTER_WRITABLE, "descriptor " + index);
            }
            bytes += d.len();
            if (bytes > MAX_CHAIN_BYTES) {
                throw error(VirtqueueError.CHAIN_TOO_MANY_BYTES, bytes + " bytes so far");
            }
            GuestRegion region = d.len() == 0 ? null : translate(d.addr(), d.len(), d.isWritable());
            advance(d);
            if (region != null) {
                return region;
            }
        }
        return null;
    }

    /** Buffer descriptors walked so far. */
    public int count() {
        return count;
    }

    private void enterIndirect(Descriptor d) throws VirtqueueException {
        if (!features.indirectDesc()) {
            throw error(VirtqueueError.INDIRECT_NOT_NEGOTIATED, "descriptor " + index);
        }
        if (inIndirect) {
            throw error(VirtqueueError.NESTED_INDIRECT, "entry " + index);
        }
        if (d.hasNext()) {
            throw error(VirtqueueError.INDIRECT_WITH_NEXT, "descriptor " + index);
        }
        if (d.len() % Descriptor.SIZE != 0) {
            throw error(VirtqueueError.INDIRECT_BAD_LENGTH, "length " + d.len());
        }
        if (d.len() == 0) {
            throw error(VirtqueueError.INDIRECT_EMPTY, "descriptor " + index);
        }
        long entries = d.len() / Descriptor.SIZE;
        if (entries > queueSize) {
            throw error(VirtqueueError.INDIRECT_TOO_LONG, entries + " entries");
        }
        GuestRegion table = translate(d.addr(), d.len(), false);
        tableMemory = table.memory();
        tableBase = table.address();
        tableSize = (int) entries;
        visited = new long[(tableSize + 63) >>> 6];
        inIndirect = true;
        index = 0;
    }

    private void advance(Descriptor d) throws VirtqueueException {
        if (!d.hasNext()) {
            done = true;
            return;
        }
        if (d.next() >= tableSize) {
            throw error(VirtqueueError.NEXT_OUT_OF_RANGE, "next " + d.next() + " of " + tableSize
                    + (inIndirect ? " indirect entries" : " descriptors"));
        }
        index = d.next();
    }

    private GuestRegion translate(long addr, long len, boolean write) throws VirtqueueException {
        try {
            return translator.translate(addr, len, write);
        } catch (DmaFault f) {
            done = true;
            throw new VirtqueueException(VirtqueueError.BAD_ADDRESS, head, f.getMessage(), f);
        }
    }

    /** Marks {@code i} visited; true if it was already. */
    private boolean visit(int i) {
        long bit = 1L << (i & 63);
        boolean seen = (visited[i >>> 6] & bit) != 0;
        visited[i >>> 6] |= bit;
        return seen;
    }

    private VirtqueueException error(VirtqueueError e, String detail) {
        done = true;
        return new VirtqueueException(e, head, detail);
    }
}
