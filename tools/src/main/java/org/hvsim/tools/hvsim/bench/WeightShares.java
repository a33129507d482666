package org.hvsim.tools.hvsim.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What proportional share scheduling owes CPU-bound domains, and how far a measurement is from it. A
 * domain is entitled to the host's CPU in proportion to its weight, but never to more than its vCPUs can
 * use (one pCPU each); what such a domain cannot use goes to the others by weight again (water filling).
 * Shares are fractions of the whole host ({@code pcpus} pCPUs); a measured share is a domain's CPU time
 * over the CPU time all the measured domains got, so that a host that lost time to other work on the
 * machine still compares shares, not absolute speeds.
 */
public final class WeightShares {
    /** One domain's row: its weight, CPU time, measured and entitled share of the host, and the error. */
    public record Row(int weight, long cpuNs, double share, double entitled) {
        /** |share - entitled| in percentage points of the host. */
        public double errorPoints() {
            return 100 * Math.abs(share - entitled);
        }
    }

    private WeightShares() {
    }

    /**
     * The entitled shares of the host of domains of {@code weights} with {@code vcpus} vCPUs each on
     * {@code pcpus} pCPUs, all CPU-bound.
     */
    public static double[] entitled(int[] weights, int[] vcpus, int pcpus) {
        if (weights.length != vcpus.length || weights.length == 0 || pcpus < 1) {
            throw new IllegalArgumentException("weights, vCPUs and pCPUs do not match");
        }
        double[] share = new double[weights.length];
        boolean[] capped = new boolean[weights.length];
        double left = 1.0;
        while (true) {
            long weightLeft = 0;
            for (int i = 0; i < weights.length; i++) {
                if (!capped[i]) {
                    weightLeft += weights[i];
                }
            }
            if (weightLeft == 0) {
                return share;
            }
            boolean changed = false;
            for (int i = 0; i < weights.length; i++) {
                double most = Math.min(1.0, (double) vcpus[i] / pcpus);
                if (!capped[i] && left * weights[i] / weightLeft > most) {
                    capped[i] = true;
                    share[i] = most;
                    left -= most;
                    changed = true;
                }
            }
            if (!changed) {
                for (int i = 0; i < weights.length; i++) {
                    if (!capped[i]) {
                        share[i] = left * weights[i] / weightLeft;
                    }
                }
                return share;
            }
        }
    }

    /** The rows for domains of {@code weights} and {@code vcpus} that got {@code cpuNs} each. */
    public static List<Row> rows(int[] weights, int[] vcpus, int pcpus, long[] cpuNs) {
        if (cpuNs.length != weights.length) {
            throw new IllegalArgumentException("a CPU time per domain");
        }
        double[] entitled = entitled(weights, vcpus, pcpus);
        long total = 0;
        for (long ns : cpuNs) {
            total += ns;
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            rows.add(new Row(weights[i], cpuNs[i], total == 0 ? 0 : (double) cpuNs[i] / total, entitled[i]));
        }
        return rows;
    }

    /** The largest error of {@code rows}, percentage points. */
    public static double maxErrorPoints(List<Row> rows) {
        return rows.stream().mapToDouble(Row::errorPoints).max().orElse(0);
    }
}
