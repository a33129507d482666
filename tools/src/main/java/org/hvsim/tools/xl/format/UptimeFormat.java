package org.hvsim.tools.xl.format;

import java.time.LocalTime;
import java.util.Locale;

/**
 * {@code xl uptime} (xl_info.c): a duration as {@code H:MM:SS}, {@code 1 day, H:MM:SS} or
 * {@code N days, H:MM:SS} (hours {@code %2d}), or in the short form ({@code -s}) the same without seconds;
 * the table header and rows {@code "%-33s %4d %s"}; the short line
 * {@code " HH:MM:SS up <duration>, <name> (<domid>)"}.
 */
public final class UptimeFormat {
    public static final String HEADER = String.format(Locale.ROOT, "%-33s %4s %s\n", "Name", "ID", "Uptime");

    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private UptimeFormat() {
    }

    /** {@code seconds} (not negative) as xl's {@code uptime_to_string}, long or short form. */
    public static String duration(long seconds, boolean shortForm) {
        if (seconds < 0) {
            throw new IllegalArgumentException("negative uptime " + seconds);
        }
        long days = seconds / DAY;
        long hours = seconds % DAY / HOUR;
        long minutes = seconds % HOUR / MINUTE;
        long secs = seconds % MINUTE;
        String prefix = days > 1 ? days + " days, " : days == 1 ? "1 day, " : "";
        String clock = shortForm
                ? String.format(Locale.ROOT, "%2d:%02d", hours, minutes)
                : String.format(Locale.ROOT, "%2d:%02d:%02d", hours, minutes, secs);
        return prefix + clock;
    }

    /** A table row, with its newline. */
    public static String row(String name, long domid, long seconds) {
        return String.format(Locale.ROOT, "%-33s %4d %s\n", name, domid, duration(seconds, false));
    }

    /** The {@code -s} line, with its newline; {@code now} is the local wall-clock time. */
    public static String shortLine(LocalTime now, String name, long domid, long seconds) {
        return String.format(Locale.ROOT, " %02d:%02d:%02d up %s, %s (%d)\n", now.getHour(), now.getMinute(),
                now.getSecond(), duration(seconds, true), name, domid);
    }
}
