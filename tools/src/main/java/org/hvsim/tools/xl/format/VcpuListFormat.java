package org.hvsim.tools.xl.format;

import java.util.Locale;
import org.hvsim.proto.control.VcpuInfo;

/**
 * {@code xl vcpu-list} (xl_vcpu.c): the header, then per vCPU {@code "%-32s %5u %5u"} (name, domain id,
 * vCPU), then for an online vCPU {@code "%5u %3c%c- "} (pCPU, {@code r}, {@code b}) or for an offline one
 * {@code "    -   --p "}, then {@code "%9.1f  "} seconds and the hard and soft affinity joined by
 * {@code " / "}.
 */
public final class VcpuListFormat {
    public static final String HEADER = String.format(Locale.ROOT, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID",
            "VCPU", "CPU", "State", "Time(s)", "Affinity (Hard / Soft)");

    private final int nrCpus;

    /** @param nrCpus the host's pCPU count, the length of the affinity bitmaps */
    public VcpuListFormat(int nrCpus) {
        this.nrCpus = nrCpus;
    }

    /** One vCPU's line, with its newline. */
    public String row(VcpuInfo v) {
        StringBuilder line = new StringBuilder(100);
        line.append(String.format(Locale.ROOT, "%-32s %5d %5d", v.getName(),
                Integer.toUnsignedLong(v.getDomid()), Integer.toUnsignedLong(v.getVcpu())));
        if (v.getOnline()) {
            line.append(String.format(Locale.ROOT, "%5d %3c%c- ", Integer.toUnsignedLong(v.getCpu()),
                    v.getRunning() ? 'r' : '-', v.getBlocked() ? 'b' : '-'));
        } else {
            line.append("    -   --p ");
        }
        line.append(Seconds.tenths(v.getCpuTimeNs(), 9)).append("  ");
        line.append(AffinityFormat.format(v.getHardAffinity(), nrCpus)).append(" / ")
                .append(AffinityFormat.format(v.getSoftAffinity(), nrCpus));
        return line.append('\n').toString();
    }
}
