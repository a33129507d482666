package org.hvsim.hv.abi.memory;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_memory_reservation} (x86-64), the argument of {@code XENMEM_increase_reservation},
 * {@code XENMEM_decrease_reservation} and {@code XENMEM_populate_physmap}. All fields are written by the
 * guest; Xen writes only into the extent array the handle points at.
 *
 * <pre>
 *  0  XEN_GUEST_HANDLE(xen_pfn_t) extent_start  array of nr_extents u64: IN gpfns / OUT mfns   [GST]
 *  8  xen_ulong_t                 nr_extents                                               [GST]
 * 16  unsigned int                extent_order  each extent is 2^extent_order frames       [GST]
 * 20  unsigned int                mem_flags     XENMEMF_*, see {@link XenMemFlags}          [GST]
 * 24  domid_t                     domid         DOMID_SELF, or another domain if privileged [GST]
 * 26  (padding to 32)
 * </pre>
 *
 * @param extentStart guest address of the extent array (0 is the null handle)
 * @param nrExtents   number of extents, an unsigned 64-bit value
 * @param extentOrder order of each extent, an unsigned 32-bit value
 * @param memFlags    {@code XENMEMF_*} flags
 * @param domid       target domain, 16 bits
 */
public record XenMemoryReservation(long extentStart, long nrExtents, int extentOrder, int memFlags, int domid) {
    public static final int EXTENT_START = 0;
    public static final int NR_EXTENTS = 8;
    public static final int EXTENT_ORDER = 16;
    public static final int MEM_FLAGS = 20;
    public static final int DOMID = 24;
    public static final int SIZE = 32;

    /** Bytes of one extent array element ({@code xen_pfn_t}). */
    public static final int EXTENT_SIZE = 8;

    /** Reads the structure at {@code address} once; throws {@link org.hvsim.hv.abi.GuestMemoryFault}. */
    public static XenMemoryReservation readFrom(GuestMemory memory, long address) {
        return new XenMemoryReservation(
                memory.getLong(address + EXTENT_START),
                memory.getLong(address + NR_EXTENTS),
                memory.getInt(address + EXTENT_ORDER),
                memory.getInt(address + MEM_FLAGS),
                memory.getUnsignedShort(address + DOMID));
    }

    /** Writes the structure at {@code address}, padding included. */
    public void writeTo(GuestMemory memory, long address) {
        memory.putLong(address + EXTENT_START, extentStart);
        memory.putLong(address + NR_EXTENTS, nrExtents);
        memory.putInt(address + EXTENT_ORDER, extentOrder);
        memory.putInt(address + MEM_FLAGS, memFlags);
        memory.putShort(address + DOMID, (short) domid);
        memory.fill(address + DOMID + 2, SIZE - DOMID - 2, (byte) 0);
    }
}
