package org.hvsim.hv.abi.memory;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct mmu_update}, one request of the {@code mmu_update} hypercall
 * ({@code mmu_update(reqs, count, pdone, foreigndom)}, {@code public/xen.h}).
 *
 * <pre>
 *  0  uint64_t ptr   machine address of the entry to update; bits 2:0 hold the MMU_* command  [GST]
 *  8  uint64_t val   the new entry (for MMU_MACHPHYS_UPDATE: the gpfn)                        [GST]
 * </pre>
 *
 * <p>{@code foreigndom}: bits 15:0 name the domain owning the frames being mapped (DOMID_SELF for the
 * caller); bits 31:16, if not zero, are 1 + the id of the domain owning the page tables.
 *
 * @param ptr machine address with the command in its low bits
 * @param val value to write
 */
public record MmuUpdate(long ptr, long val) {
    public static final int PTR = 0;
    public static final int VAL = 8;
    public static final int SIZE = 16;

    /** {@code MMU_NORMAL_PT_UPDATE}: checked {@code *ptr = val}; ptr is a machine address. */
    public static final int MMU_NORMAL_PT_UPDATE = 0;
    /** {@code MMU_MACHPHYS_UPDATE}: ptr is the machine address of a frame, val its new gpfn. */
    public static final int MMU_MACHPHYS_UPDATE = 1;
    /** {@code MMU_PT_UPDATE_PRESERVE_AD}: as NORMAL, keeping the entry's accessed and dirty bits. */
    public static final int MMU_PT_UPDATE_PRESERVE_AD = 2;
    /** {@code MMU_PT_UPDATE_NO_TRANSLATE}: ptr is not translated through the page-table owner's P2M. */
    public static final int MMU_PT_UPDATE_NO_TRANSLATE = 3;

    /** The command is in {@code ptr & (sizeof(l1_pgentry_t) - 1)}. */
    public static final long CMD_MASK = 7;

    /** {@code MMU_UPDATE_PREEMPTED}: set in {@code count} by a continuation. */
    public static final int MMU_UPDATE_PREEMPTED = 0x8000_0000;

    /** Reads request {@code index} of the array at {@code reqs} once. */
    public static MmuUpdate readFrom(GuestMemory memory, long reqs, long index) {
        long address = reqs + index * SIZE;
        return new MmuUpdate(memory.getLong(address + PTR), memory.getLong(address + VAL));
    }

    /** Writes this request as element {@code index} of the array at {@code reqs}. */
    public void writeTo(GuestMemory memory, long reqs, long index) {
        long address = reqs + index * SIZE;
        memory.putLong(address + PTR, ptr);
        memory.putLong(address + VAL, val);
    }

    /** The {@code MMU_*} command of this request. */
    public int command() {
        return (int) (ptr & CMD_MASK);
    }

    /** The machine address of this request, without its command bits. */
    public long machineAddress() {
        return ptr & ~CMD_MASK;
    }
}
