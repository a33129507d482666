package org.hvsim.hv.boot;

import java.util.Locale;

/** Memory sizes as xl writes them: a number with an optional suffix b, k, m, g, t; plain = MiB. */
public final class Sizes {
    private Sizes() {}

    public static long parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty size");
        }
        char last = t.charAt(t.length() - 1);
        int shift;
        String digits = t.substring(0, t.length() - 1);
        switch (last) {
            case 'b' -> shift = 0;
            case 'k' -> shift = 10;
            case 'm' -> shift = 20;
            case 'g' -> shift = 30;
            case 't' -> shift = 40;
            default -> {
                shift = 20;
                digits = t;
            }
        }
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        if (n < 0 || (n != 0 && Long.numberOfLeadingZeros(n) <= shift)) {
            throw new IllegalArgumentException("size out of range: " + text);
        }
        return n << shift;
    }
}
