package org.hvsim.dom0.xenstore.wire;

/**
 * Numbers in payloads are read the way C xenstored reads them, with {@code atoi()}: leading blanks and
 * a sign are skipped, digits are read until the first non-digit, and anything unparsable is 0
 * ("parsing errors and values out of range generally go undetected", xenstore.txt). Out-of-range values
 * saturate instead of being undefined.
 */
public final class XsNumbers {
    private XsNumbers() {}

    /** C's {@code atoi(s)}. */
    public static int atoi(String s) {
        long v = atol(s);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /** C's {@code atol(s)} for a 64-bit long (how a frame number argument is read). */
    public static long atol(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            int digit = s.charAt(i) - '0';
            v = v > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : v * 10 + digit;
            i++;
        }
        return negative ? -v : v;
    }

    /** {@code (unsigned int) atoi(s)}: how a domid argument is read. */
    public static long atoiUnsigned(String s) {
        return Integer.toUnsignedLong(atoi(s));
    }
}
