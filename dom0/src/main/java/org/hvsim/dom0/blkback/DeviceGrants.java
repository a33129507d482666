package org.hvsim.dom0.blkback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.dom0.xen.GrantError;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.virtio.dma.DmaFault;
import org.hvsim.virtio.dma.GrantDmaAddress;
import org.hvsim.virtio.dma.GrantMappings;
import org.hvsim.virtio.dma.GuestRegion;

/**
 * One device's grant mappings of its frontend's pages, as the virtio grant-DMA translator asks for them:
 * each ref is mapped once (through dom0's {@link org.hvsim.dom0.xen.GrantMappings}, one instance per
 * device) and kept until {@link #close}; a ref already mapped writable also serves reads, so a page the
 * frontend uses both ways is mapped once. A buffer over several consecutive refs is one
 * {@link GrantedPages}. A ref the hypervisor refuses (not granted to dom0, read-only for a write, out of
 * the table) is a {@link DmaFault}.
 *
 * <p>Threads: the xenbus thread maps the rings before the device thread starts; then the device thread
 * alone maps; {@link #close} after the device thread ended. Synchronized all the same (cheap, uncontended).
 */
public final class DeviceGrants implements GrantMappings, AutoCloseable {
    private final org.hvsim.dom0.xen.GrantMappings maps;
    private final int domid;
    private final Map<Integer, SegmentGuestMemory> writable = new HashMap<>();
    private final Map<Integer, SegmentGuestMemory> readable = new HashMap<>();

    public DeviceGrants(org.hvsim.dom0.xen.GrantMappings maps, int domid) {
        this.maps = maps;
        this.domid = domid;
    }

    public int domid() {
        return domid;
    }

    /** The page granted under {@code ref}, mapped writable or read-only. */
    public synchronized SegmentGuestMemory page(int ref, boolean write) throws DmaFault {
        SegmentGuestMemory p = writable.get(ref);
        if (p == null && !write) {
            p = readable.get(ref);
        }
        if (p != null) {
            return p;
        }
        GuestMemory m;
        try {
            m = maps.map(domid, ref, !write);
        } catch (GrantError e) {
            throw new DmaFault(GrantDmaAddress.encode(ref, 0), GrantDmaAddress.PAGE_SIZE,
                    "grant ref " + Integer.toUnsignedString(ref) + " of domain " + domid + ": " + e.getMessage());
        }
        SegmentGuestMemory s = (SegmentGuestMemory) m;
        (write ? writable : readable).put(ref, s);
        return s;
    }

    /** The pages of {@code refs} end to end (a ring area), mapped writable or read-only. */
    public GrantedPages pages(List<Integer> refs, boolean write) throws DmaFault {
        List<SegmentGuestMemory> out = new ArrayList<>(refs.size());
        for (int ref : refs) {
            out.add(page(ref, write));
        }
        return new GrantedPages(out, maps.machineMemory());
    }

    @Override
    public GuestRegion map(int firstRef, int offset, long length, boolean write) throws DmaFault {
        long n = (offset + length + GrantDmaAddress.PAGE_SIZE - 1) / GrantDmaAddress.PAGE_SIZE;
        if (n == 1) {
            return new GuestRegion(page(firstRef, write), offset, length, write);
        }
        if (n > 1 << 20) {
            throw new DmaFault(GrantDmaAddress.encode(firstRef, offset), length, "buffer over more than 2^20 pages");
        }
        List<Integer> refs = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            refs.add(firstRef + i);
        }
        return new GuestRegion(pages(refs, write), offset, length, write);
    }

    /** Mappings held. */
    public synchronized int size() {
        return writable.size() + readable.size();
    }

    /** Unmaps every page of the frontend this device mapped. */
    @Override
    public synchronized void close() {
        writable.clear();
        readable.clear();
        maps.unmapAll(domid);
    }
}
