package org.hvsim.dom0.blkback;

import java.util.HashSet;
import java.util.Set;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.virtio.dma.DmaFault;
import org.hvsim.virtio.dma.GrantDmaAddress;
import org.hvsim.virtio.dma.GrantMappings;
import org.hvsim.virtio.dma.GuestRegion;

/**
 * A stand-in for a frontend's grants over a test memory: ref {@code n} is page {@code n} of the memory, if the
 * test granted it (read-only or writable). Threads: the test grants before the device runs.
 */
final class PageGrants implements GrantMappings {
    private final SegmentGuestMemory memory;
    private final Set<Integer> granted = new HashSet<>();
    private final Set<Integer> writable = new HashSet<>();

    PageGrants(SegmentGuestMemory memory) {
        this.memory = memory;
    }

    /** Grants the pages of {@code [addr, addr+len)}; a page granted writable for any buffer on it stays so. */
    void grant(long addr, long len, boolean ro) {
        for (long p = addr >>> 12; p <= (addr + len - 1) >>> 12; p++) {
            granted.add((int) p);
            if (!ro) {
                writable.add((int) p);
            }
        }
    }

    /** The grant DMA address of guest-physical {@code addr}. */
    static long dma(long addr) {
        return GrantDmaAddress.encode((int) (addr >>> 12), (int) (addr & 0xfff));
    }

    @Override
    public GuestRegion map(int firstRef, int offset, long length, boolean write) throws DmaFault {
        long pages = (offset + length + 4095) / 4096;
        for (long p = firstRef; p < firstRef + pages; p++) {
            if (!granted.contains((int) p) || (write && !writable.contains((int) p))) {
                throw new DmaFault(GrantDmaAddress.encode(firstRef, offset), length, "ref " + p + " not granted so");
            }
        }
        return new GuestRegion(memory, (long) firstRef * 4096 + offset, length, write);
    }
}
