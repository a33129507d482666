package org.hvsim.hv.sched.sim;

import java.util.Locale;
import org.hvsim.hv.sched.SimReport;
import org.hvsim.hv.sched.SimWorkload;

/**
 * The text schedsim prints for one run: a header line (policy, pCPUs, simulated time), a row per domain
 * (weight, cap, CPU share of the host and of one pCPU, wakes, wake latency p50/p99/p99.9 in ms with µs
 * precision or {@code -} for a domain that never woke), a row for idle time, and the context switches.
 */
final class SimReportTable {
    private static final String ROW = "%6s %6s %4s %6s %6s %7s %9s %9s %9s";

    private SimReportTable() {
    }

    static String text(SchedChoice sched, SimWorkload workload, SimReport report) {
        StringBuilder sb = new StringBuilder();
        int n = report.nrPcpus();
        sb.append(String.format(Locale.ROOT, "scheduler %s, %d pCPU%s, %s simulated%s\n", sched.label, n,
                n == 1 ? "" : "s", SimDuration.format(report.durationNs()),
                sched.usesWeights() ? "" : " (weights and caps ignored)"));
        row(sb, "Domain", "Weight", "Cap", "Host%", "pCPU%", "Wakes",
                "p50 ms", "p99 ms", "p99.9 ms");
        for (SimWorkload.Domain d : workload.domains()) {
            SimReport.DomainStats s = report.domains().get(d.domid());
            row(sb, d.domid(), d.weight(), d.cap(),
                    percent(report.share(d.domid())), percent(report.pcpuShare(d.domid())),
                    s.wakeLatenciesNs().length, latency(s, 50), latency(s, 99), latency(s, 99.9));
        }
        double idle = (double) report.idleNs() / ((double) n * report.durationNs());
        row(sb, "idle", "", "", percent(idle),
                percent(idle * n), "", "", "", "");
        sb.append(String.format(Locale.ROOT, "Context switches: %d\n", report.contextSwitches()));
        return sb.toString();
    }

    /** One row of the table, without the trailing blanks of empty columns. */
    private static void row(StringBuilder sb, Object... columns) {
        sb.append(String.format(Locale.ROOT, ROW, columns).stripTrailing()).append('\n');
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f", fraction * 100);
    }

    /** The {@code p}th percentile wake latency in ms with µs precision, or {@code -} without wakes. */
    static String latency(SimReport.DomainStats s, double p) {
        if (s.wakeLatenciesNs().length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.3f", s.latencyPercentile(p) / 1e6);
    }
}
