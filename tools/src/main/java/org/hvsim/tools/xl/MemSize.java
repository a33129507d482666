package org.hvsim.tools.xl;

/**
 * xl's memory size syntax ({@code parse_mem_size_kb} in xl_utils.c): a decimal number with an optional
 * one-letter unit, {@code b}, {@code k}, {@code m} (the default), {@code g} or {@code t} (either case).
 */
final class MemSize {
    private MemSize() {}

    /** The size in KiB, or -1 if {@code s} is not a size. */
    static long parseKb(String s) {
        int end = 0;
        if (end < s.length() && (s.charAt(end) == '-' || s.charAt(end) == '+')) {
            end++;
        }
        int digits = end;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        if (end == digits || end - digits > 15 || s.length() - end > 1) {
            return -1;
        }
        long v = Long.parseLong(s.substring(0, end));
        char unit = end < s.length() ? Character.toLowerCase(s.charAt(end)) : 'm';
        return switch (unit) {
            case 't' -> v << 30;
            case 'g' -> v << 20;
            case 'm' -> v << 10;
            case 'k' -> v;
            case 'b' -> v >> 10;
            default -> -1;
        };
    }
}
