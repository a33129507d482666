package org.hvsim.hv.abi;

/** {@code XENMEM_*} commands of {@code memory_op} ({@code public/memory.h}). */
public final class XenMem {
    public static final int INCREASE_RESERVATION = 0;
    public static final int DECREASE_RESERVATION = 1;
    public static final int MAXIMUM_RAM_PAGE = 2;
    public static final int CURRENT_RESERVATION = 3;
    public static final int MAXIMUM_RESERVATION = 4;
    public static final int MACHPHYS_MFN_LIST = 5;
    public static final int POPULATE_PHYSMAP = 6;
    public static final int ADD_TO_PHYSMAP = 7;
    public static final int MEMORY_MAP = 9;
    public static final int MACHINE_MEMORY_MAP = 10;
    public static final int EXCHANGE = 11;
    public static final int MAXIMUM_GPFN = 14;
    public static final int REMOVE_FROM_PHYSMAP = 15;
    public static final int CLAIM_PAGES = 24;

    /** The command sits in the low bits of the {@code cmd} argument; the rest is a continuation start. */
    public static final int CMD_MASK_BITS = 6;
    public static final int CMD_MASK = (1 << CMD_MASK_BITS) - 1;

    private XenMem() {}
}
