package org.hvsim.tools.xl.format;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * CPU time as xl prints it: {@code printf("%W.1f", (float)ns / 1e9)}. Time is integer nanoseconds
 * everywhere in hvsim; only this printing repeats xl's arithmetic, a {@code float} of the nanoseconds
 * divided by 1e9 in {@code double}, and printf's rounding of that binary value to one decimal (exact, ties
 * to even), so that the digits are xl's own, byte for byte (1.25 s prints as {@code 1.2}, as in xl).
 */
public final class Seconds {
    private Seconds() {
    }

    /** {@code ns} (unsigned, as xl's uint64_t) as xl's one-decimal seconds, unpadded. */
    public static String tenths(long ns) {
        float asFloat = ns >= 0 ? (float) ns : (float) (ns >>> 1) * 2f;
        double seconds = (double) asFloat / 1e9;
        return new BigDecimal(seconds).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** {@link #tenths} right-aligned in {@code width} columns, as {@code %<width>.1f}. */
    public static String tenths(long ns, int width) {
        return Text.padLeft(tenths(ns), width);
    }
}
