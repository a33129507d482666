package org.hvsim.tools.hvsim;

import java.util.Locale;

/**
 * A memory size as xl reads one ({@code parse_mem_size_kb}): decimal digits and at most one unit letter,
 * {@code b} bytes, {@code k} KiB, {@code m} MiB, {@code g} GiB, {@code t} TiB, either case; no letter means
 * MiB, as for xl's {@code mem-set}. Sizes are positive and fit in a long.
 */
public final class MemorySize {
    private MemorySize() {
    }

    /** {@code text} in bytes; IllegalArgumentException with a message for people if it is not a size. */
    public static long parseBytes(String text) {
        int end = 0;
        while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
            end++;
        }
        if (end == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size (a number of MiB, or with a unit"
                    + " b, k, m, g or t, e.g. 512M or 4G)");
        }
        String unit = text.substring(end);
        long shift = switch (unit.toLowerCase(Locale.ROOT)) {
            case "b" -> 0;
            case "k" -> 10;
            case "", "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit
                    + "' (b, k, m, g or t)");
        };
        long value;
        try {
            value = Long.parseLong(text.substring(0, end));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (value == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive size");
        }
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return value << shift;
    }

    /** {@code bytes} in whole MiB, for messages. */
    public static long mib(long bytes) {
        return bytes >> 20;
    }
}
