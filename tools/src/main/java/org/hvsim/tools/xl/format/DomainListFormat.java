package org.hvsim.tools.xl.format;

import java.util.Locale;
import org.hvsim.proto.control.DomainInfo;

/**
 * {@code xl list} without {@code -l} ({@code list_domains} in xl_info.c): a header with two TABs, then one
 * row per domain, {@code "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f"}, then for {@code -v} the UUID, the
 * shutdown reason code ({@code %8x}, or {@code -}) and the security label, for {@code -Z} the label alone.
 */
public final class DomainListFormat {
    /** Xen writes this header as one literal; it is {@code "%-40s %5s %5s %5s"} of its column names. */
    static final String HEADER = String.format(Locale.ROOT, "%-40s %5s %5s %5s", "Name", "ID", "Mem", "VCPUs")
            + "\tState\tTime(s)";
    static final String VERBOSE_HEADER = "   UUID                            Reason-Code\tSecurity Label";
    static final String CONTEXT_HEADER = "   Security Label";

    private final boolean verbose;
    private final boolean context;

    /**
     * @param verbose {@code -v}: UUID, reason code, security label
     * @param context {@code -Z}: security label (implied by verbose)
     */
    public DomainListFormat(boolean verbose, boolean context) {
        this.verbose = verbose;
        this.context = context;
    }

    /** The header line, with its newline. */
    public String header() {
        StringBuilder line = new StringBuilder(HEADER);
        if (verbose) {
            line.append(VERBOSE_HEADER);
        }
        if (context && !verbose) {
            line.append(CONTEXT_HEADER);
        }
        return line.append('\n').toString();
    }

    /** One domain's line, with its newline. */
    public String row(DomainInfo d) {
        long memMib = (d.getCurrentMemkb() + d.getOutstandingMemkb()) / 1024;
        StringBuilder line = new StringBuilder(96);
        line.append(String.format(Locale.ROOT, "%-40s %5d %5d %5d     ", d.getName(),
                Integer.toUnsignedLong(d.getDomid()), memMib, Integer.toUnsignedLong(d.getOnlineVcpus())));
        line.append(StateFlags.of(d)).append("  ").append(Seconds.tenths(d.getCpuTimeNs(), 8));
        if (verbose) {
            line.append(' ').append(d.getUuid());
            if (d.getShutdown()) {
                line.append(String.format(Locale.ROOT, " %8x", d.getShutdownReason()));
            } else {
                line.append(String.format(Locale.ROOT, " %8s", "-"));
            }
        }
        if (verbose || context) {
            String label = d.getSsidLabel().isEmpty() ? "-" : d.getSsidLabel();
            line.append(String.format(Locale.ROOT, " %16s", label));
        }
        return line.append('\n').toString();
    }
}
