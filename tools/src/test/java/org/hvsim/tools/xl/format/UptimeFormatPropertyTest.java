package org.hvsim.tools.xl.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class UptimeFormatPropertyTest {
    private static final Pattern LONG = Pattern.compile("(?:(\\d+) (days?), )?([ \\d]\\d):(\\d\\d):(\\d\\d)");
    private static final Pattern SHORT = Pattern.compile("(?:(\\d+) (days?), )?([ \\d]\\d):(\\d\\d)");

    @Property
    void theLongFormReadsBackToTheSameNumberOfSeconds(@ForAll @LongRange(max = 1_000_000_000L) long seconds) {
        String text = UptimeFormat.duration(seconds, false);
        Matcher m = LONG.matcher(text);

        assertTrue(m.matches(), text);
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        assertEquals(seconds, days * 86_400 + Long.parseLong(m.group(3).strip()) * 3600
                + Long.parseLong(m.group(4)) * 60 + Long.parseLong(m.group(5)), text);
        assertEquals(seconds >= 86_400, m.group(1) != null, text);
        if (m.group(1) != null) {
            assertEquals(days == 1 ? "day" : "days", m.group(2), text);
        }
        assertTrue(Long.parseLong(m.group(4)) < 60 && Long.parseLong(m.group(5)) < 60, text);
    }

    @Property
    void theShortFormIsTheLongFormWithoutSeconds(@ForAll @LongRange(max = 1_000_000_000L) long seconds) {
        String full = UptimeFormat.duration(seconds, false);
        String shortForm = UptimeFormat.duration(seconds, true);

        assertTrue(SHORT.matcher(shortForm).matches(), shortForm);
        assertEquals(full.substring(0, full.length() - 3), shortForm);
    }

    @Test
    void examples() {
        assertEquals(" 0:00:00", UptimeFormat.duration(0, false));
        assertEquals("23:59:59", UptimeFormat.duration(86_399, false));
        assertEquals("1 day,  0:00:00", UptimeFormat.duration(86_400, false));
        assertEquals("2 days, 10:17:36", UptimeFormat.duration(2 * 86_400 + 37_056, false));
        assertEquals("1 day,  1:01", UptimeFormat.duration(86_400 + 3661, true));
        assertEquals("Domain-0                             0  0:01:00\n", UptimeFormat.row("Domain-0", 0, 60));
        assertEquals(" 09:05:01 up  3:00, web (4)\n", UptimeFormat.shortLine(LocalTime.of(9, 5, 1), "web", 4, 10_800));
    }
}
