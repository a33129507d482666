package org.hvsim.hv.memory;

import java.util.HashMap;
import java.util.Map;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.memory.Pte;

/**
 * The hypervisor's private record of the present entries that {@code mmu_update} has written into guest
 * page-table slots: for each slot (by machine address), the frame it maps. The slot itself lives in guest
 * memory, where its owner can scribble over it; this table is what reference counting trusts, as Xen
 * trusts its own validation of L1 tables.
 *
 * <p>Threads: only under the {@link HostMemory} lock.
 */
final class PteShadowTable {
    private static final int SLOTS = Page.SIZE / Pte.SIZE;

    /** Page-table frame MFN → its slots (mapped MFN + 1; 0 = no mapping). */
    private final Map<Long, long[]> frames = new HashMap<>();
    private long mappings;

    /** The MFN the slot at machine address {@code pteMa} maps, or {@link Page#INVALID_FRAME}. */
    long mapped(long pteMa) {
        long[] slots = frames.get(pteMa >>> Page.SHIFT);
        return slots == null ? Page.INVALID_FRAME : slots[slot(pteMa)] - 1;
    }

    void set(long pteMa, long mfn) {
        long[] slots = frames.computeIfAbsent(pteMa >>> Page.SHIFT, k -> new long[SLOTS + 1]);
        int s = slot(pteMa);
        if (slots[s] == 0) {
            slots[SLOTS]++;
            mappings++;
        }
        slots[s] = mfn + 1;
    }

    /** Removes the slot's mapping; returns the MFN it mapped, or {@link Page#INVALID_FRAME}. */
    long clear(long pteMa) {
        long frame = pteMa >>> Page.SHIFT;
        long[] slots = frames.get(frame);
        if (slots == null || slots[slot(pteMa)] == 0) {
            return Page.INVALID_FRAME;
        }
        long mfn = slots[slot(pteMa)] - 1;
        slots[slot(pteMa)] = 0;
        mappings--;
        if (--slots[SLOTS] == 0) {
            frames.remove(frame);
        }
        return mfn;
    }

    /** Removes every mapping held by slots in page-table frame {@code pteFrame}, visiting each mapped MFN. */
    void dropFrame(long pteFrame, MappedFrame visitor) {
        long[] slots = frames.remove(pteFrame);
        if (slots == null) {
            return;
        }
        for (int s = 0; s < SLOTS; s++) {
            if (slots[s] != 0) {
                mappings--;
                visitor.visit((pteFrame << Page.SHIFT) + (long) s * Pte.SIZE, slots[s] - 1);
            }
        }
    }

    /** Visits every mapping as (slot machine address, mapped MFN). */
    void forEach(MappedFrame visitor) {
        frames.forEach((frame, slots) -> {
            for (int s = 0; s < SLOTS; s++) {
                if (slots[s] != 0) {
                    visitor.visit((frame << Page.SHIFT) + (long) s * Pte.SIZE, slots[s] - 1);
                }
            }
        });
    }

    long mappings() {
        return mappings;
    }

    private static int slot(long pteMa) {
        return (int) ((pteMa & Page.MASK) / Pte.SIZE);
    }

    @FunctionalInterface
    interface MappedFrame {
        void visit(long pteMa, long mfn);
    }
}
