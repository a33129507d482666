package org.hvsim.hv.abi;

/**
 * {@code struct xencons_interface} ({@code public/io/console.h}): the PV console ring page shared by a
 * domU (frontend) and xenconsoled in dom0 (backend). Indices are free-running 32-bit counters; the
 * producer publishes its index with a release store after writing data, the consumer reads it with an
 * acquire load, and both check {@code prod - cons <= size} before trusting it.
 *
 * <pre>
 *    0  char in[1024]     backend → guest (keyboard input)
 * 1024  char out[2048]    guest → backend (console output)
 * 3072  u32  in_cons      [GST]
 * 3076  u32  in_prod      [BACKEND]
 * 3080  u32  out_cons     [BACKEND]
 * 3084  u32  out_prod     [GST]
 * </pre>
 */
public final class ConsoleInterface {
    public static final int IN = 0;
    public static final int IN_SIZE = 1024;
    public static final int OUT = 1024;
    public static final int OUT_SIZE = 2048;
    public static final int IN_CONS = 3072;
    public static final int IN_PROD = 3076;
    public static final int OUT_CONS = 3080;
    public static final int OUT_PROD = 3084;

    private ConsoleInterface() {}

    /** {@code MASK_XENCONS_IDX}: the ring offset of free-running index {@code idx}. */
    public static int maskIndex(int idx, int ringSize) {
        return idx & (ringSize - 1);
    }
}
