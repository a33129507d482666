package org.hvsim.hv.sched;

import java.util.BitSet;
import java.util.List;

/** A synthetic workload for {@link SchedSim}: pCPUs and domains with their vCPUs' behaviours. */
public record SimWorkload(int nrPcpus, List<Domain> domains) {
    public SimWorkload {
        if (nrPcpus < 1) {
            throw new IllegalArgumentException("need at least one pCPU, got " + nrPcpus);
        }
        domains = List.copyOf(domains);
    }

    /** A domain: credit weight and cap (ignored by policies without them) and its vCPUs. */
    public record Domain(int domid, int weight, int cap, List<Vcpu> vcpus) {
        public Domain {
            vcpus = List.copyOf(vcpus);
        }

        /** A domain of CPU-bound vCPUs with default weight and no cap. */
        public static Domain cpuBound(int domid, int nrVcpus) {
            return new Domain(domid, 256, 0,
                    java.util.Collections.nCopies(nrVcpus, new Vcpu(new SimBehaviour.CpuBound(), null)));
        }
    }

    /** A vCPU: what it does, and its hard affinity (null = any pCPU). */
    public record Vcpu(SimBehaviour behaviour, BitSet hardAffinity) {
        public Vcpu {
            hardAffinity = hardAffinity == null ? null : (BitSet) hardAffinity.clone();
        }

        public static Vcpu of(SimBehaviour behaviour) {
            return new Vcpu(behaviour, null);
        }

        public static Vcpu pinned(SimBehaviour behaviour, int... cpus) {
            BitSet set = new BitSet();
            for (int c : cpus) {
                set.set(c);
            }
            return new Vcpu(behaviour, set);
        }
    }
}
