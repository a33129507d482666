package org.hvsim.tools.xentrace;

import java.util.Locale;

/**
 * What a written trace holds, for the line xentrace prints: its span, records, losses, boosts, and per
 * pCPU how many times a vCPU was dispatched there and how busy it was.
 *
 * @param spanNs from the first record to the last
 */
public record Summary(int nrCpus, long spanNs, long records, long dropped, long boosts, long[] dispatches,
                      long[] busyNs) {

    /** One line per pCPU after a line of totals, e.g. {@code "pCPU 0: 1234 dispatches, busy 97.1%"}. */
    public String text() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%d records over %.3f s, %d lost, %d boosts%n", records, spanNs / 1e9, dropped, boosts));
        for (int p = 0; p < dispatches.length; p++) {
            b.append(String.format(Locale.ROOT, "  pCPU %d: %d dispatches, busy %.1f%%%n", p, dispatches[p],
                    spanNs == 0 ? 0.0 : 100.0 * busyNs[p] / spanNs));
        }
        return b.toString();
    }

    /** Counts while the writer goes through the records. Threads: one. */
    static final class Builder {
        private final int nrCpus;
        private final long spanNs;
        private final long records;
        private final long dropped;
        private long boosts;
        private long[] dispatches;
        private long[] busyNs;

        Builder(int nrCpus, long spanNs, long records, long dropped) {
            this.nrCpus = nrCpus;
            this.spanNs = spanNs;
            this.records = records;
            this.dropped = dropped;
            this.dispatches = new long[nrCpus];
            this.busyNs = new long[nrCpus];
        }

        void boost() {
            boosts++;
        }

        void dispatch(int pcpu) {
            grow(pcpu);
            dispatches[pcpu]++;
        }

        void ran(int pcpu, long ns) {
            grow(pcpu);
            busyNs[pcpu] += ns;
        }

        private void grow(int pcpu) {
            if (pcpu >= dispatches.length) {
                dispatches = java.util.Arrays.copyOf(dispatches, pcpu + 1);
                busyNs = java.util.Arrays.copyOf(busyNs, pcpu + 1);
            }
        }

        Summary build() {
            return new Summary(nrCpus, spanNs, records, dropped, boosts, dispatches, busyNs);
        }
    }
}
