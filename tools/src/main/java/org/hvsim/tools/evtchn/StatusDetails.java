package org.hvsim.tools.evtchn;

import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelCounters;

/**
 * What {@code lsevtchn -v} adds after Xen's text on a port's line, which Xen's tool cannot show: the
 * port's bits in shared_info, whether the hypervisor consumes its events, its counters since it was bound,
 * and its label. One {@code key=value} per fact, in this order:
 * {@code pending=0|1 masked=0|1 xen-attached=0|1 sends=N edges=N upcalls=N masked-drops=N coalesced=N
 * label="..."} (the label quoted, with control characters escaped).
 */
public final class StatusDetails {
    /** Between Xen's text and the additions. */
    public static final String SEPARATOR = "  ";

    private StatusDetails() {
    }

    /** The additions for {@code port}, without a leading separator or a newline. */
    public static String text(EventChannel port) {
        EventChannelCounters c = port.getCounters();
        return "pending=" + bit(port.getPending())
                + " masked=" + bit(port.getMasked())
                + " xen-attached=" + bit(port.getXenAttached())
                + " sends=" + Long.toUnsignedString(c.getSends())
                + " edges=" + Long.toUnsignedString(c.getPendingEdges())
                + " upcalls=" + Long.toUnsignedString(c.getUpcalls())
                + " masked-drops=" + Long.toUnsignedString(c.getMaskedDrops())
                + " coalesced=" + Long.toUnsignedString(c.getCoalesced())
                + " label=" + LabelText.quoted(port.getLabel());
    }

    private static char bit(boolean b) {
        return b ? '1' : '0';
    }
}
