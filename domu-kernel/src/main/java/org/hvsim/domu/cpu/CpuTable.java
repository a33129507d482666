package org.hvsim.domu.cpu;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.hvsim.hv.abi.SharedInfo;

/**
 * The {@link PerCpu} of every vCPU that has come up, by vCPU id. vCPUs come up one at a time, each on its
 * own thread, and may look each other up. Only vCPUs whose {@code vcpu_info} lives in shared_info (the
 * first {@value SharedInfo#LEGACY_MAX_VCPUS}) can take events, so only those have an entry.
 *
 * <p>Threads: any vCPU (an atomic array).
 */
public final class CpuTable {
    /** The most vCPUs the kernel runs on. */
    public static final int MAX_VCPUS = SharedInfo.LEGACY_MAX_VCPUS;

    private final AtomicReferenceArray<PerCpu> cpus = new AtomicReferenceArray<>(MAX_VCPUS);

    /** Whether the kernel can run on vCPU {@code id}. */
    public static boolean supports(int id) {
        return id >= 0 && id < MAX_VCPUS;
    }

    /** Records vCPU {@code cpu.id()} as up; each vCPU comes up once. */
    public void add(PerCpu cpu) {
        if (!supports(cpu.id())) {
            throw new IllegalArgumentException("vCPU " + cpu.id() + " has no vcpu_info in shared_info");
        }
        if (!cpus.compareAndSet(cpu.id(), null, cpu)) {
            throw new IllegalStateException("vCPU " + cpu.id() + " came up twice");
        }
    }

    /** The vCPU's per-CPU data, or null if it has not come up. */
    public PerCpu get(int id) {
        return supports(id) ? cpus.get(id) : null;
    }

    /** How many vCPUs have come up. */
    public int online() {
        int n = 0;
        for (int i = 0; i < MAX_VCPUS; i++) {
            if (cpus.get(i) != null) {
                n++;
            }
        }
        return n;
    }
}
