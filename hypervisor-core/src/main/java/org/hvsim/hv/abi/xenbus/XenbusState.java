package org.hvsim.hv.abi.xenbus;

/**
 * {@code enum xenbus_state} ({@code public/io/xenbus.h}): the value a frontend or backend writes to its
 * {@code state} node in XenStore, as a decimal string.
 */
public enum XenbusState {
    UNKNOWN(0),
    INITIALISING(1),
    INIT_WAIT(2),
    INITIALISED(3),
    CONNECTED(4),
    CLOSING(5),
    CLOSED(6),
    RECONFIGURING(7),
    RECONFIGURED(8);

    private final int number;

    XenbusState(int number) {
        this.number = number;
    }

    /** The number written to XenStore. */
    public int number() {
        return number;
    }

    /** The state numbered {@code n}, or {@code null} if there is none. */
    public static XenbusState of(int n) {
        return n >= 0 && n < values().length ? values()[n] : null;
    }

    /**
     * Parses a {@code state} node's value (decimal, as libxl and the drivers write it); an absent node,
     * an empty value or anything unparsable reads as {@link #UNKNOWN}, as Linux's {@code xenbus_read_driver_state} does.
     */
    public static XenbusState parse(String value) {
        if (value == null || value.isEmpty() || value.length() > 10) {
            return UNKNOWN;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return UNKNOWN;
            }
        }
        XenbusState s = of(Integer.parseInt(value));
        return s == null ? UNKNOWN : s;
    }
}
