package org.hvsim.hv.abi;

/** {@code SHUTDOWN_*} reasons of {@code public/sched.h}, with the letter {@code xl list} shows. */
public enum ShutdownReason {
    POWEROFF(0, '-'),
    REBOOT(1, 'r'),
    SUSPEND(2, 's'),
    CRASH(3, 'c'),
    WATCHDOG(4, 'w'),
    SOFT_RESET(5, 'S');

    /** {@code SHUTDOWN_MAX}: the highest valid reason code. */
    public static final int MAX = 5;

    private final int code;
    private final char letter;

    ShutdownReason(int code, char letter) {
        this.code = code;
        this.letter = letter;
    }

    public int code() {
        return code;
    }

    /** The fifth state column of {@code xl list} for a domain shut down for this reason. */
    public char letter() {
        return letter;
    }

    /** The reason with code {@code code}, or {@code null} if it is not one Xen defines. */
    public static ShutdownReason ofCode(long code) {
        for (ShutdownReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
