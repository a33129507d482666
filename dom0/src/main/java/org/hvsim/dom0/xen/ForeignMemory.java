package org.hvsim.dom0.xen;

import org.hvsim.hv.abi.FrameTableGuestMemory;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.memory.MmuUpdate;
import org.hvsim.hv.abi.memory.Pte;

/**
 * Maps other domains' frames into dom0 the PV way (libxenforeignmemory over privcmd's mmap): each
 * mapping gets page-table frames in dom0's memory, and one mmu_update per batch asks the hypervisor to
 * write, into those page-table slots, entries pointing at the foreign frames (foreigndom = their
 * owner). The hypervisor checks the frames belong to that domain and holds a reference on each until
 * the slot is cleared, so a domain's memory cannot be reused while dom0 still maps it. Thread-safe.
 */
public final class ForeignMemory {
    /** PTE slots per page-table frame. */
    static final int SLOTS = Page.SIZE / Pte.SIZE;

    private final Xc xc;
    private final Dom0Memory memory;

    public ForeignMemory(Xc xc, Dom0Memory memory) {
        this.xc = xc;
        this.memory = memory;
    }

    /** Maps {@code mfns} of {@code domid} read-write; the view puts frame i at {@code base + i*4096}. */
    public ForeignMapping map(int domid, long[] mfns, long base) {
        int ptPages = (mfns.length + SLOTS - 1) / SLOTS;
        long ptPfn = memory.allocate(ptPages);
        if (ptPfn < 0) {
            throw new XenError("map foreign frames: no dom0 frames for page tables", -org.hvsim.hv.abi.Errno.ENOMEM);
        }
        try {
            update(domid, ptPfn, mfns, Pte.PAGE_PRESENT | Pte.PAGE_RW);
        } catch (XenError e) {
            clearSlots(ptPfn, mfns.length);
            memory.free(ptPfn, ptPages);
            throw e;
        }
        return new ForeignMapping(this, domid, mfns.clone(), ptPfn, ptPages,
                new FrameTableGuestMemory(memory.machine().segment(), mfns.clone(), base));
    }

    void unmap(ForeignMapping m) {
        clearSlots(m.ptPfn(), m.count());
        memory.free(m.ptPfn(), m.ptPages());
    }

    /** Writes PTEs for {@code mfns} into consecutive slots from frame {@code ptPfn}, a batch per buffer. */
    private void update(int domid, long ptPfn, long[] mfns, long flags) {
        try (HypercallBuffer b = xc.buffers().acquire()) {
            int perCall = (b.size() - 64) / MmuUpdate.SIZE;
            for (int done = 0; done < mfns.length; ) {
                int n = Math.min(perCall, mfns.length - done);
                for (int i = 0; i < n; i++) {
                    new MmuUpdate(slotAddress(ptPfn, done + i) | MmuUpdate.MMU_NORMAL_PT_UPDATE,
                            mfns[done + i] == Page.INVALID_FRAME ? 0 : Pte.of(mfns[done + i], flags))
                            .writeTo(b.memory(), b.at(64), i);
                }
                long r = xc.xen().hypercall(HypercallNr.MMU_UPDATE, b.at(64), n, b.address(), domid, 0);
                if (r < 0) {
                    throw new XenError("mmu_update (map " + n + " frames of d" + domid + ")", r);
                }
                done += n;
            }
        }
    }

    /**
     * Clears {@code count} slots from page-table frame {@code ptPfn} that a previous dom0 process left
     * mapped, so the hypervisor drops the references they hold.
     */
    public void clearStale(long ptPfn, int count) {
        clearSlots(ptPfn, count);
    }

    /** Clears slots (drops the references they hold); a slot never written is cleared harmlessly. */
    private void clearSlots(long ptPfn, int count) {
        long[] none = new long[count];
        java.util.Arrays.fill(none, Page.INVALID_FRAME);
        update(org.hvsim.hv.abi.DomId.SELF, ptPfn, none, 0);
    }

    private long slotAddress(long ptPfn, int index) {
        long frame = ptPfn + index / SLOTS;
        return Page.addressOf(memory.mfnOf(frame)) + (long) (index % SLOTS) * Pte.SIZE;
    }
}
