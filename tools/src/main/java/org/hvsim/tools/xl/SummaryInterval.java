package org.hvsim.tools.xl;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interval of {@code xl evtchn-watch --summary}: a number with a unit, {@code ms}, {@code s} or
 * {@code m} ({@code 500ms}, {@code 2s}, {@code 1.5s}); from 1 ms to 1 hour. The unit is required, so that a
 * bare number after {@code -s} stays a domain id.
 */
final class SummaryInterval {
    static final Duration DEFAULT = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofHours(1);

    private static final Pattern SHAPE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([a-zA-Z]+)");

    private SummaryInterval() {
    }

    /** True if {@code arg} is meant as an interval: digits then letters (a bad unit is then an error). */
    static boolean looksLikeOne(String arg) {
        return SHAPE.matcher(arg).matches();
    }

    /** The interval {@code text} names, whole milliseconds. */
    static Duration parse(String text) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an interval (e.g. 500ms, 2s, 1m)");
        }
        BigDecimal millisPerUnit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> BigDecimal.ONE;
            case "s" -> BigDecimal.valueOf(1_000);
            case "m" -> BigDecimal.valueOf(60_000);
            default -> throw new IllegalArgumentException("'" + text + "': the unit must be ms, s or m");
        };
        BigDecimal millis = new BigDecimal(m.group(1)).multiply(millisPerUnit);
        if (millis.compareTo(BigDecimal.ONE) < 0 || millis.compareTo(BigDecimal.valueOf(MAX.toMillis())) > 0) {
            throw new IllegalArgumentException("'" + text + "' is out of range (1ms to 1h)");
        }
        return Duration.ofMillis(millis.longValue());
    }
}
