package org.hvsim.hv.sched;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a {@link SchedSim} run measured: CPU time and wake latencies per domain, idle time, context
 * switches, and (if asked for) every run segment.
 */
public record SimReport(int nrPcpus, long durationNs, Map<Integer, DomainStats> domains, long idleNs,
                        long contextSwitches, List<Segment> segments) {

    /** Domain {@code domid}'s CPU time as a fraction of the whole host ({@code nrPcpus × duration}). */
    public double share(int domid) {
        return (double) domains.get(domid).cpuNs() / ((double) nrPcpus * durationNs);
    }

    /** Domain {@code domid}'s CPU time as a fraction of one pCPU (what a Xen cap is measured in). */
    public double pcpuShare(int domid) {
        return (double) domains.get(domid).cpuNs() / durationNs;
    }

    /** Sum of every domain's CPU time and the idle time (equals {@code nrPcpus × duration}). */
    public long accountedNs() {
        return idleNs + domains.values().stream().mapToLong(DomainStats::cpuNs).sum();
    }

    /** One domain: CPU time, and wake latencies (block ended → running), sorted. */
    public record DomainStats(int domid, long cpuNs, long[] wakeLatenciesNs) {
        private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

        /**
         * Nearest-rank percentile ({@code p} in 0..100) of the wake latencies, or 0 without wakes. The rank,
         * ceil(p × n / 100), is computed exactly on {@code p} as written in decimal (99.9, not the double nearest
         * to it): in doubles 99.9 / 100 × 1000 is 999.0000000000001, whose ceiling would be rank 1000, not 999.
         */
        public long latencyPercentile(double p) {
            if (wakeLatenciesNs.length == 0) {
                return 0;
            }
            long rank = BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(wakeLatenciesNs.length))
                    .divide(HUNDRED, 0, RoundingMode.CEILING).longValue();
            return wakeLatenciesNs[Math.clamp(rank - 1, 0, wakeLatenciesNs.length - 1)];
        }

        @Override
        public String toString() {
            return "d" + domid + " cpu " + cpuNs + " ns, " + wakeLatenciesNs.length + " wakes, p50 "
                    + latencyPercentile(50) + " ns, p99 " + latencyPercentile(99) + " ns";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DomainStats d && d.domid == domid && d.cpuNs == cpuNs
                    && Arrays.equals(d.wakeLatenciesNs, wakeLatenciesNs);
        }

        @Override
        public int hashCode() {
            return 31 * Integer.hashCode(domid) + Long.hashCode(cpuNs);
        }
    }

    /** vCPU {@code vcpuId} of {@code domid} ran on {@code pcpu} over [start, end). */
    public record Segment(int pcpu, int domid, int vcpuId, long start, long end) {}
}
