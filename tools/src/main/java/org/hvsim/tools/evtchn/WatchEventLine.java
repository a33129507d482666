package org.hvsim.tools.evtchn;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.hvsim.proto.control.EventChannelEvent;

/**
 * One event of {@code xl evtchn-watch}, as one line: the local time with microseconds, the kind, the port
 * as {@code d<domid>:<port>}, the vCPU, what the kind has to add, and the label. A send names the port it
 * raised ({@code -> d0:12}); a bind says what was bound ({@code interdomain -> d0:12},
 * {@code unbound -> d0}, {@code virq 0}, {@code ipi}):
 *
 * <pre>
 * 23:41:07.123456 send    d1:1      vcpu 0  -> d0:12  xenstore
 * 23:41:07.123470 deliver d0:12     vcpu 0  xenstore
 * </pre>
 */
public final class WatchEventLine {
    /** Wide enough for {@code d<domid>:<port>} of the usual domains and ports. */
    static final int PORT_WIDTH = 9;

    private final DateTimeFormatter time;

    /** @param zone the time zone of the timestamps (the user's) */
    public WatchEventLine(ZoneId zone) {
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT).withZone(zone);
    }

    /** {@code event}'s line, with its newline. */
    public String line(EventChannelEvent event) {
        StringBuilder line = new StringBuilder(80);
        line.append(timestamp(event.getTimestampUnixNanos())).append(' ')
                .append(pad(ActivityKinds.name(event.getKind()), ActivityKinds.NAME_WIDTH)).append(' ')
                .append(pad(port(event.getDomid(), event.getPort()), PORT_WIDTH)).append(' ')
                .append("vcpu ").append(Integer.toUnsignedString(event.getVcpu()));
        String detail = detail(event);
        if (!detail.isEmpty()) {
            line.append("  ").append(detail);
        }
        if (!event.getLabel().isEmpty()) {
            line.append("  ").append(LabelText.printable(event.getLabel()));
        }
        return line.append('\n').toString();
    }

    /** {@code HH:mm:ss.SSSSSS} of a time in nanoseconds since the Unix epoch (unsigned). */
    public String timestamp(long unixNanos) {
        Instant instant = Instant.ofEpochSecond(Long.divideUnsigned(unixNanos, 1_000_000_000L),
                Long.remainderUnsigned(unixNanos, 1_000_000_000L));
        return timestamp(instant);
    }

    /** {@code HH:mm:ss.SSSSSS} of {@code instant}. */
    public String timestamp(Instant instant) {
        return time.format(instant);
    }

    /** The line that says a watch lost {@code dropped} events, with its newline. */
    public static String dropped(long dropped) {
        String count = Long.toUnsignedString(dropped);
        return "-- " + count + (dropped == 1 ? " event" : " events") + " lost: the watch did not keep up --\n";
    }

    /** {@code d<domid>:<port>}. */
    public static String port(int domid, int port) {
        return "d" + Integer.toUnsignedString(domid) + ":" + Integer.toUnsignedString(port);
    }

    private static String detail(EventChannelEvent event) {
        return switch (event.getKind()) {
            case EVENT_CHANNEL_ACTIVITY_KIND_SEND -> "-> " + port(event.getRemoteDomid(), event.getRemotePort());
            case EVENT_CHANNEL_ACTIVITY_KIND_BIND -> switch (event.getState()) {
                case EVENT_CHANNEL_STATE_INTERDOMAIN -> "interdomain -> "
                        + port(event.getRemoteDomid(), event.getRemotePort());
                case EVENT_CHANNEL_STATE_UNBOUND -> "unbound -> d" + Integer.toUnsignedString(event.getRemoteDomid());
                case EVENT_CHANNEL_STATE_VIRQ -> "virq " + Integer.toUnsignedString(event.getVirq());
                case EVENT_CHANNEL_STATE_IPI -> "ipi";
                case EVENT_CHANNEL_STATE_PIRQ -> "pirq";
                default -> "";
            };
            default -> "";
        };
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
