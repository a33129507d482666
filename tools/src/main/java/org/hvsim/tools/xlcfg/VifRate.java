package org.hvsim.tools.xlcfg;

import java.util.regex.Pattern;

/**
 * A vif {@code rate=} value, {@code RATE/s[@INTERVAL]} (xl-network-configuration(5), Xen's
 * {@code xlu_vif_parse_rate}): RATE is a decimal count with an optional {@code K}, {@code M} or
 * {@code G} (powers of 1000) and {@code B} (bytes) or {@code b} (bits); INTERVAL is a decimal count with
 * {@code s}, {@code ms}, {@code us} (or none, meaning seconds; {@code m}/{@code u} alone also mean milli
 * and micro), 50 ms when absent. The result is what libxl keeps: bytes per interval and the interval in
 * microseconds. hvsim reads the digits as decimal even with a leading zero (xl reads them as octal).
 */
public record VifRate(long bytesPerInterval, long intervalUsecs) {
    private static final Pattern BYTES_PER_SEC = Pattern.compile("[0-9]+[GMK]?[Bb]/s");
    private static final Pattern INTERVAL = Pattern.compile("[0-9]+[mu]?s?");
    private static final long UINT32_MAX = 0xffff_ffffL;
    private static final long DEFAULT_INTERVAL_USECS = 50_000;

    public static VifRate parse(String rate) throws XlSpecException {
        int at = rate.indexOf('@');
        String bytes = at < 0 ? rate : rate.substring(0, at);
        if (bytes.isEmpty()) {
            throw error("no rate specified", rate);
        }
        long bytesPerSec = bytesPerSecond(bytes);
        long interval = at < 0 ? DEFAULT_INTERVAL_USECS : intervalUsecs(rate.substring(at + 1));
        if (Long.compareUnsigned(bytesPerSec, Long.divideUnsigned(-1L, interval)) > 0) {
            throw error("rate overflow", rate);
        }
        return new VifRate(Long.divideUnsigned(bytesPerSec * interval, 1_000_000L), interval);
    }

    private static long bytesPerSecond(String bytes) throws XlSpecException {
        if (!BYTES_PER_SEC.matcher(bytes).matches()) {
            throw error("invalid rate", bytes);
        }
        int digits = leadingDigits(bytes);
        long value = bounded(bytes.substring(0, digits));
        if (value == 0 || value > UINT32_MAX) {
            throw error("rate overflow", bytes);
        }
        char unit = bytes.charAt(digits);
        value *= switch (unit) {
            case 'G' -> 1_000_000_000L;
            case 'M' -> 1_000_000L;
            case 'K' -> 1_000L;
            default -> 1L;
        };
        boolean bits = unit == 'b' || bytes.charAt(digits + 1) == 'b';
        return bits ? value / 8 : value;
    }

    private static long intervalUsecs(String interval) throws XlSpecException {
        if (!INTERVAL.matcher(interval).matches()) {
            throw error("invalid replenishment interval", interval);
        }
        int digits = leadingDigits(interval);
        long value = bounded(interval.substring(0, digits));
        if (value == 0 || value > UINT32_MAX) {
            throw error("replenishment interval overflow", interval);
        }
        char unit = digits < interval.length() ? interval.charAt(digits) : 's';
        value *= switch (unit) {
            case 's' -> 1_000_000L;
            case 'm' -> 1_000L;
            default -> 1L;
        };
        if (value > UINT32_MAX) {
            throw error("replenishment interval overflow", interval);
        }
        return value;
    }

    private static int leadingDigits(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** The decimal value, or {@code UINT32_MAX + 1} when it is larger than any valid one. */
    private static long bounded(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 10 ? UINT32_MAX + 1 : Long.parseLong(significant);
    }

    private static XlSpecException error(String what, String text) {
        return new XlSpecException("config parsing error in vif: " + what + " in `" + XlText.printable(text) + "'");
    }
}
