package org.hvsim.tools.evtchn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.hvsim.proto.control.EventChannelRate;
import org.hvsim.proto.control.EventChannelSummary;

/**
 * One interval of {@code xl evtchn-watch --summary}: a heading with the time and the interval, then one row
 * per active port, busiest (most sends and edges per second) first, and a blank line:
 *
 * <pre>
 * 23:41:08.000000  rates over 1.000 s
 * DOMAIN  PORT  LABEL       SENDS/S  EDGES/S  UPCALLS/S  MASKED/S
 *      1     1  xenstore       12.0     12.0       12.0       0.0
 * </pre>
 *
 * Columns widen to fit their longest value; an interval without activity says so in place of the table.
 */
public final class RateSummaryTable {
    static final String NO_ACTIVITY = "(no event channel activity)\n";
    private static final String GAP = "  ";
    private static final String[] HEADERS = {"DOMAIN", "PORT", "LABEL", "SENDS/S", "EDGES/S", "UPCALLS/S", "MASKED/S"};
    /** The label column is the only one aligned left. */
    private static final int LABEL = 2;

    /** Busiest first: sends and edges per second, then upcalls, masked drops; then by domain and port. */
    static final Comparator<EventChannelRate> BUSIEST_FIRST = Comparator
            .comparingDouble((EventChannelRate r) -> r.getSendsPerSecond() + r.getPendingEdgesPerSecond()).reversed()
            .thenComparing(Comparator.comparingDouble(EventChannelRate::getUpcallsPerSecond).reversed())
            .thenComparing(Comparator.comparingDouble(EventChannelRate::getMaskedDropsPerSecond).reversed())
            .thenComparingLong(r -> Integer.toUnsignedLong(r.getDomid()))
            .thenComparingLong(r -> Integer.toUnsignedLong(r.getPort()));

    private RateSummaryTable() {
    }

    /** The whole interval: heading, table (or the no-activity line) and a blank line. */
    public static String format(String time, EventChannelSummary summary) {
        StringBuilder out = new StringBuilder(256);
        out.append(time).append("  rates over ")
                .append(String.format(Locale.ROOT, "%.3f s", summary.getIntervalNanos() / 1e9)).append('\n');
        if (summary.getRatesCount() == 0) {
            out.append(NO_ACTIVITY);
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADERS);
            summary.getRatesList().stream().sorted(BUSIEST_FIRST).forEach(r -> rows.add(cells(r)));
            appendAligned(out, rows);
        }
        return out.append('\n').toString();
    }

    private static String[] cells(EventChannelRate r) {
        return new String[] {
            Integer.toUnsignedString(r.getDomid()),
            Integer.toUnsignedString(r.getPort()),
            LabelText.printable(r.getLabel()),
            rate(r.getSendsPerSecond()),
            rate(r.getPendingEdgesPerSecond()),
            rate(r.getUpcallsPerSecond()),
            rate(r.getMaskedDropsPerSecond()),
        };
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    private static void appendAligned(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.append(GAP);
                }
                String pad = " ".repeat(widths[i] - row[i].length());
                out.append(i == LABEL ? row[i] + pad : pad + row[i]);
            }
            out.append('\n');
        }
    }
}
