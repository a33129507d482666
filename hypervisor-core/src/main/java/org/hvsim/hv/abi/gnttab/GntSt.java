package org.hvsim.hv.abi.gnttab;

/** {@code GNTST_*}: the per-operation status of grant_table_op (int16, negative on error). */
public final class GntSt {
    public static final int OKAY = 0;
    public static final int GENERAL_ERROR = -1;
    public static final int BAD_DOMAIN = -2;
    public static final int BAD_GNTREF = -3;
    public static final int BAD_HANDLE = -4;
    public static final int BAD_VIRT_ADDR = -5;
    public static final int BAD_DEV_ADDR = -6;
    public static final int NO_DEVICE_SPACE = -7;
    public static final int PERMISSION_DENIED = -8;
    public static final int BAD_PAGE = -9;
    public static final int BAD_COPY_ARG = -10;
    public static final int ADDRESS_TOO_BIG = -11;
    public static final int EAGAIN = -12;
    public static final int NO_SPACE = -13;

    /** Xen's {@code GNTTABOP_error_msgs}, indexed by {@code -status}. */
    private static final String[] MESSAGES = {
        "okay",
        "undefined error",
        "unrecognised domain id",
        "invalid grant reference",
        "invalid mapping handle",
        "invalid virtual address",
        "invalid device address",
        "no spare translation slot in the I/O MMU",
        "permission denied",
        "bad page",
        "copy arguments cross page boundary",
        "page address size too large",
        "operation not done; try again",
        "out of space",
    };

    private GntSt() {}

    /** Xen's message for {@code status}, or {@code "bad status N"}. */
    public static String message(int status) {
        return status <= 0 && -status < MESSAGES.length ? MESSAGES[-status] : "bad status " + status;
    }

    /** Whether {@code status} is one of the defined codes. */
    public static boolean isDefined(int status) {
        return status <= 0 && -status < MESSAGES.length;
    }
}
