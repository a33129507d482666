package org.hvsim.tools.evtchn;

import java.util.List;
import java.util.Locale;
import org.hvsim.proto.control.EventChannelActivityKind;

/**
 * The names {@code xl evtchn-watch} gives the activity kinds, on its command line ({@code -k}) and in its
 * output: {@code bind}, {@code close}, {@code send}, {@code deliver}, {@code masked}, {@code unmask}.
 */
public final class ActivityKinds {
    /** Every kind a watch can filter on, in the proto's order. */
    public static final List<EventChannelActivityKind> ALL = List.of(
            EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_BIND,
            EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_CLOSE,
            EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND,
            EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER,
            EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_MASKED,
            EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_UNMASK);

    /** The longest name, for aligning a column of them. */
    public static final int NAME_WIDTH = 7;

    private static final String PREFIX = "EVENT_CHANNEL_ACTIVITY_KIND_";

    private ActivityKinds() {
    }

    /** {@code kind}'s name: {@code send} for EVENT_CHANNEL_ACTIVITY_KIND_SEND; {@code unknown} for any other. */
    public static String name(EventChannelActivityKind kind) {
        return ALL.contains(kind) ? kind.name().substring(PREFIX.length()).toLowerCase(Locale.ROOT) : "unknown";
    }

    /** The kind named {@code name} (any case). */
    public static EventChannelActivityKind parse(String name) {
        for (EventChannelActivityKind kind : ALL) {
            if (name(kind).equalsIgnoreCase(name.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not an event channel activity kind (one of "
                + String.join(", ", ALL.stream().map(ActivityKinds::name).toList()) + ")");
    }
}
