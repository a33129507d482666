package org.hvsim.hv.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.memory.Pte;

/**
 * The checked page-table write of {@code mmu_update} ({@code mod_l1_entry} with
 * {@code get_page_from_l1e}/{@code put_page_from_l1e} in Xen's {@code arch/x86/mm.c}): a present entry
 * takes a reference on the frame it maps, which must be a live frame of the page owner; the reference
 * the slot held before is dropped. Entries are recorded in the {@link PteShadowTable}, then written into
 * the slot in machine memory, where the caller's process sees them.
 *
 * <p>Threads: any; each update holds the {@link HostMemory} lock.
 */
final class PteUpdater {
    private static final ValueLayout.OfLong PTE = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final HostMemory host;

    PteUpdater(HostMemory host) {
        this.host = host;
    }

    /**
     * Writes {@code val} into the slot at machine address {@code pteMa} (8-byte aligned) in a frame of
     * {@code ptOwner}; a present {@code val} maps a frame of domain {@code pgOwner}. Returns 0 or -EINVAL
     * (the slot is not in a live RAM frame of the page-table owner, or the frame to map is not a live
     * frame of the page owner, or its reference count is full).
     */
    int update(DomainMemory ptOwner, long pteMa, long val, int pgOwner, boolean preserveAccessedDirty) {
        long pteFrame = pteMa >>> Page.SHIFT;
        M2p m2p = host.m2p;
        host.lock.lock();
        try {
            if (pteFrame >= m2p.frames() || !m2p.isLiveFrameOf(pteFrame, ptOwner.domid())
                    || m2p.type(pteFrame) != PageType.RAM) {
                return -Errno.EINVAL;
            }
            MemorySegment ram = host.machine.segment();
            long value = val;
            if (preserveAccessedDirty) {
                value |= ram.get(PTE, pteMa) & (Pte.PAGE_ACCESSED | Pte.PAGE_DIRTY);
            }
            long before = host.shadow.mapped(pteMa);
            long after = Pte.isPresent(value) ? Pte.mfn(value) : Page.INVALID_FRAME;
            if (after != Page.INVALID_FRAME && after != before && !host.getRef(after, pgOwner)) {
                return -Errno.EINVAL;
            }
            if (after != Page.INVALID_FRAME) {
                host.shadow.set(pteMa, after);
            } else {
                host.shadow.clear(pteMa);
            }
            ram.set(PTE, pteMa, value);
            if (before != Page.INVALID_FRAME && before != after) {
                host.putRef(before);
            }
            return 0;
        } finally {
            host.lock.unlock();
        }
    }

    /** {@code MMU_MACHPHYS_UPDATE}: see {@link DomainMemory#setPhysmap}. */
    int setPhysmap(DomainMemory pgOwner, long mfn, long gpfn) {
        host.lock.lock();
        try {
            return (int) pgOwner.setPhysmap(mfn, gpfn);
        } finally {
            host.lock.unlock();
        }
    }
}
