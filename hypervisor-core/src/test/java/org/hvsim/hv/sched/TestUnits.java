package org.hvsim.hv.sched;

import java.util.BitSet;

/** Builds {@link SchedUnit}s for policy tests outside this package (the constructor is the scheduler's). */
public final class TestUnits {
    private TestUnits() {}

    /** A runnable unit of vCPU {@code vcpuId} of {@code domid}, last on {@code pcpu}, any affinity. */
    public static SchedUnit unit(int domid, int vcpuId, int pcpu) {
        SchedUnit u = new SchedUnit(domid, vcpuId, pcpu, 0);
        u.pauseFlags = 0;
        return u;
    }

    /** As {@link #unit}, pinned to {@code cpus}. */
    public static SchedUnit pinned(int domid, int vcpuId, int... cpus) {
        SchedUnit u = unit(domid, vcpuId, cpus[0]);
        BitSet set = new BitSet();
        for (int c : cpus) {
            set.set(c);
        }
        u.hardAffinity = set;
        return u;
    }

    /** A {@link SchedContext} whose pCPUs are all idle unless told otherwise. */
    public static final class FakeContext implements SchedContext {
        private final boolean[] busy;

        public FakeContext(int nrPcpus) {
            this.busy = new boolean[nrPcpus];
        }

        public void busy(int pcpu, boolean b) {
            busy[pcpu] = b;
        }

        @Override
        public int nrPcpus() {
            return busy.length;
        }

        @Override
        public boolean isIdle(int pcpu) {
            return !busy[pcpu];
        }

        @Override
        public SchedUnit current(int pcpu) {
            return null;
        }
    }
}
