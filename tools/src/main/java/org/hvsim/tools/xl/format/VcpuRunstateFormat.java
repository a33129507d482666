package org.hvsim.tools.xl.format;

import java.util.Locale;
import org.hvsim.proto.control.VcpuInfo;
import org.hvsim.proto.control.VcpuRunstate;

/**
 * {@code xl vcpu-runstate} (hvsim's, not Xen's): the header, then per vCPU the left columns of
 * {@code xl vcpu-list} ({@code "%-32s %5u %5u"}: name, domain id, vCPU), then {@code " %-8s"} the state
 * ({@code running}, {@code runnable}, {@code blocked}, {@code offline}, Xen's RUNSTATE_* names) and
 * {@code " %10.1f"} the seconds spent in each of the four states. The seconds are rounded exactly from
 * the nanoseconds (half up). A vCPU dom0 reported no runstate for shows {@code -} in those columns.
 */
public final class VcpuRunstateFormat {
    public static final String HEADER = String.format(Locale.ROOT, "%-32s %5s %5s %-8s %10s %10s %10s %10s\n",
            "Name", "ID", "VCPU", "State", "Running(s)", "Runnable(s)", "Blocked(s)", "Offline(s)");

    private static final long NS_PER_TENTH = 100_000_000L;
    private static final String[] NAMES = {"running", "runnable", "blocked", "offline"};

    private VcpuRunstateFormat() {
    }

    /** One vCPU's line, with its newline. */
    public static String row(VcpuInfo v) {
        StringBuilder line = new StringBuilder(90);
        line.append(String.format(Locale.ROOT, "%-32s %5d %5d", v.getName(),
                Integer.toUnsignedLong(v.getDomid()), Integer.toUnsignedLong(v.getVcpu())));
        if (!v.hasRunstate()) {
            line.append(' ').append(Text.padRight("-", 8));
            for (int i = 0; i < 4; i++) {
                line.append(' ').append(Text.padLeft("-", 10));
            }
            return line.append('\n').toString();
        }
        VcpuRunstate r = v.getRunstate();
        line.append(' ').append(Text.padRight(stateName(r.getStateValue()), 8));
        for (long ns : new long[] {r.getRunningNs(), r.getRunnableNs(), r.getBlockedNs(), r.getOfflineNs()}) {
            line.append(' ').append(Text.padLeft(tenths(ns), 10));
        }
        return line.append('\n').toString();
    }

    /** Xen's name of RUNSTATE_* number {@code state}, or the number itself for one Xen does not have. */
    public static String stateName(int state) {
        return state >= 0 && state < NAMES.length ? NAMES[state] : Integer.toString(state);
    }

    /** {@code ns} (unsigned) as seconds with one decimal, rounded half up, exactly. */
    public static String tenths(long ns) {
        long tenths = Long.divideUnsigned(ns, NS_PER_TENTH);
        if (Long.remainderUnsigned(ns, NS_PER_TENTH) >= NS_PER_TENTH / 2) {
            tenths++;
        }
        return Long.toUnsignedString(tenths / 10) + "." + (tenths % 10);
    }
}
