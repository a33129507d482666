package org.hvsim.hv.sched.sim;

import java.util.Locale;

/** A simulated duration as {@code schedsim --duration} takes it ({@code 10s}, {@code 500ms}) and prints it. */
final class SimDuration {
    private static final String[] UNITS = {"ns", "us", "ms", "s"};   // "s" last: "ms" also ends with it
    private static final long[] SCALE = {1, 1_000, 1_000_000, 1_000_000_000};

    private SimDuration() {
    }

    /** Nanoseconds in {@code text}: a positive integer with ns, us, ms or s (a bare number is seconds). */
    static long parse(String text) {
        for (int i = 0; i < UNITS.length; i++) {
            if (text.endsWith(UNITS[i])) {
                return nanos(text.substring(0, text.length() - UNITS[i].length()), SCALE[i], text);
            }
        }
        return nanos(text, SCALE[3], text);
    }

    private static long nanos(String number, long scale, String text) {
        long v;
        try {
            v = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (e.g. 10s, 500ms, 250us)");
        }
        if (v <= 0) {
            throw new IllegalArgumentException("the duration must be positive, got '" + text + "'");
        }
        try {
            return Math.multiplyExact(v, scale);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the duration '" + text + "' is too long");
        }
    }

    /** {@code ns} as seconds with millisecond precision: {@code 10.000 s}. */
    static String format(long ns) {
        return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
    }
}
