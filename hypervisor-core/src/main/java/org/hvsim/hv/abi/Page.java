package org.hvsim.hv.abi;

/** Page geometry of the simulated machine: 4 KiB frames, as on x86. */
public final class Page {
    public static final int SHIFT = 12;
    public static final int SIZE = 1 << SHIFT;
    public static final long MASK = SIZE - 1L;

    /** An invalid machine or guest frame number ({@code INVALID_MFN}/{@code INVALID_GFN}). */
    public static final long INVALID_FRAME = ~0L;

    private Page() {}

    public static long frameOf(long address) {
        return address >>> SHIFT;
    }

    public static long addressOf(long frame) {
        return frame << SHIFT;
    }

    public static int offsetIn(long address) {
        return (int) (address & MASK);
    }
}
