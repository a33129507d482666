package org.hvsim.hv.sched;

/** What a simulated vCPU does when it runs ({@link SchedSim}). */
public sealed interface SimBehaviour {

    /** Never blocks, never yields (a {@code cpuburn} guest). */
    record CpuBound() implements SimBehaviour {}

    /** Runs {@code burstNs} of CPU, then blocks {@code blockNs}, and again (an I/O-style guest). */
    record BurstBlock(long burstNs, long blockNs) implements SimBehaviour {
        public BurstBlock {
            if (burstNs <= 0 || blockNs <= 0) {
                throw new IllegalArgumentException("burst and block must be positive: " + burstNs + ", " + blockNs);
            }
        }
    }

    /**
     * CPU-bound, but yields {@code leadNs} before every multiple of {@code tickNs}: the attack on
     * schedulers that debit by sampling who runs at each tick.
     */
    record YieldBeforeTick(long tickNs, long leadNs) implements SimBehaviour {
        public YieldBeforeTick {
            if (tickNs <= 0 || leadNs <= 0 || leadNs >= tickNs) {
                throw new IllegalArgumentException("need 0 < lead < tick: " + leadNs + ", " + tickNs);
            }
        }

        /** The first yield point strictly after {@code t}. */
        long nextYieldAfter(long t) {
            long point = (t / tickNs) * tickNs + tickNs - leadNs;
            return point > t ? point : point + tickNs;
        }
    }
}
