package org.hvsim.hv.abi.gnttab;

/**
 * {@code GNTTABOP_*} commands of {@code grant_table_op(cmd, uop, count)}, and the {@code GNTMAP_*} and
 * {@code GNTCOPY_*} flags of map and copy.
 */
public final class GntTabOp {
    public static final int MAP_GRANT_REF = 0;
    public static final int UNMAP_GRANT_REF = 1;
    public static final int SETUP_TABLE = 2;
    public static final int DUMP_TABLE = 3;
    public static final int TRANSFER = 4;
    public static final int COPY = 5;
    public static final int QUERY_SIZE = 6;
    public static final int UNMAP_AND_REPLACE = 7;
    public static final int SET_VERSION = 8;
    public static final int GET_STATUS_FRAMES = 9;
    public static final int GET_VERSION = 10;
    public static final int SWAP_GRANT_REF = 11;
    public static final int CACHE_FLUSH = 12;

    /** The command is the low 12 bits of {@code cmd}; the rest is a continuation argument (cache_flush only). */
    public static final int CMD_MASK = (1 << 12) - 1;

    public static final int GNTMAP_DEVICE_MAP = 1 << 0;
    public static final int GNTMAP_HOST_MAP = 1 << 1;
    public static final int GNTMAP_READONLY = 1 << 2;
    public static final int GNTMAP_APPLICATION_MAP = 1 << 3;
    public static final int GNTMAP_CONTAINS_PTE = 1 << 4;
    public static final int GNTMAP_CAN_FAIL = 1 << 5;

    public static final int GNTCOPY_SOURCE_GREF = 1 << 0;
    public static final int GNTCOPY_DEST_GREF = 1 << 1;
    public static final int GNTCOPY_CAN_FAIL = 1 << 2;

    /**
     * The most operations one grant_table_op call takes in hvsim (-E2BIG beyond); Xen takes any count and
     * continues long arrays with hypercall continuations.
     */
    public static final int MAX_OPS_PER_CALL = 4096;

    /** Refs a guest's grant driver keeps for itself: 0 the console ring, 1 the xenstore ring. */
    public static final int NR_RESERVED_ENTRIES = 8;
    public static final int CONSOLE_REF = 0;
    public static final int XENSTORE_REF = 1;

    private GntTabOp() {}

    public static String name(int cmd) {
        return switch (cmd) {
            case MAP_GRANT_REF -> "map_grant_ref";
            case UNMAP_GRANT_REF -> "unmap_grant_ref";
            case SETUP_TABLE -> "setup_table";
            case DUMP_TABLE -> "dump_table";
            case TRANSFER -> "transfer";
            case COPY -> "copy";
            case QUERY_SIZE -> "query_size";
            case UNMAP_AND_REPLACE -> "unmap_and_replace";
            case SET_VERSION -> "set_version";
            case GET_STATUS_FRAMES -> "get_status_frames";
            case GET_VERSION -> "get_version";
            case SWAP_GRANT_REF -> "swap_grant_ref";
            case CACHE_FLUSH -> "cache_flush";
            default -> "#" + cmd;
        };
    }
}
