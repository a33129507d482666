package org.hvsim.tools.evtchn;

import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelState;

/**
 * One port as Xen's {@code lsevtchn} (tools/xcutils/lsevtchn.c) prints it: {@code "%4d: VCPU %u: "}, then
 * by state {@code Interdomain (Waiting connection) - Remote Domain %u},
 * {@code Interdomain (Connected) - Remote Domain %u, Port %u}, {@code Physical IRQ %u},
 * {@code Virtual IRQ %u}, {@code IPI} or {@code Unknown}. Xen prints nothing for a closed port.
 *
 * <p>The EventChannel message has no PIRQ number (hvsim has no physical IRQs), so a PIRQ port, which no
 * hvsim host reports, would print {@code Physical IRQ 0}.
 */
public final class XenStatusLine {
    private XenStatusLine() {
    }

    /** True if lsevtchn prints a line for {@code port}: any state but closed. */
    public static boolean shown(EventChannel port) {
        return port.getState() != EventChannelState.EVENT_CHANNEL_STATE_CLOSED;
    }

    /** Xen's text for {@code port}, without the newline. */
    public static String text(EventChannel port) {
        StringBuilder line = new StringBuilder(72);
        line.append(padLeft(Integer.toUnsignedString(port.getPort()), 4)).append(": VCPU ")
                .append(Integer.toUnsignedString(port.getVcpu())).append(": ");
        switch (port.getState()) {
            case EVENT_CHANNEL_STATE_UNBOUND -> line.append("Interdomain (Waiting connection) - Remote Domain ")
                    .append(Integer.toUnsignedString(port.getRemoteDomid()));
            case EVENT_CHANNEL_STATE_INTERDOMAIN -> line.append("Interdomain (Connected) - Remote Domain ")
                    .append(Integer.toUnsignedString(port.getRemoteDomid())).append(", Port ")
                    .append(Integer.toUnsignedString(port.getRemotePort()));
            case EVENT_CHANNEL_STATE_PIRQ -> line.append("Physical IRQ 0");
            case EVENT_CHANNEL_STATE_VIRQ -> line.append("Virtual IRQ ").append(Integer.toUnsignedString(port.getVirq()));
            case EVENT_CHANNEL_STATE_IPI -> line.append("IPI");
            default -> line.append("Unknown");
        }
        return line.toString();
    }

    /** printf's {@code %4d} for a non-negative number: right-aligned, never truncated. */
    private static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
