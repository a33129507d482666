package org.hvsim.hv.abi.sysctl;

import org.hvsim.hv.abi.GuestMemory;

/**
 * {@code struct xen_sysctl_physinfo} (OUT):
 * <pre>
 *  0 u32 threads_per_core   4 u32 cores_per_socket  8 u32 nr_cpus   12 u32 max_cpu_id
 * 16 u32 nr_nodes          20 u32 max_node_id      24 u32 cpu_khz  28 u32 capabilities (PHYSCAP_*)
 * 32 u32 arch_capabilities 40 u64 total_pages      48 u64 free_pages  56 u64 scrub_pages
 * 64 u64 outstanding_pages 72 u64 max_mfn          80 u32 hw_cap[8]
 * </pre>
 */
public record Physinfo(int threadsPerCore, int coresPerSocket, int nrCpus, int maxCpuId, int nrNodes,
        int maxNodeId, int cpuKhz, int capabilities, long totalPages, long freePages, long scrubPages,
        long outstandingPages, long maxMfn, int[] hwCap) {
    public static final int SIZE = 112;

    public static Physinfo read(GuestMemory m, long a) {
        int[] hw = new int[8];
        for (int i = 0; i < 8; i++) {
            hw[i] = m.getInt(a + 80 + 4L * i);
        }
        return new Physinfo(m.getInt(a), m.getInt(a + 4), m.getInt(a + 8), m.getInt(a + 12), m.getInt(a + 16),
                m.getInt(a + 20), m.getInt(a + 24), m.getInt(a + 28), m.getLong(a + 40), m.getLong(a + 48),
                m.getLong(a + 56), m.getLong(a + 64), m.getLong(a + 72), hw);
    }

    public void write(GuestMemory m, long a) {
        m.fill(a, SIZE, (byte) 0);
        m.putInt(a, threadsPerCore);
        m.putInt(a + 4, coresPerSocket);
        m.putInt(a + 8, nrCpus);
        m.putInt(a + 12, maxCpuId);
        m.putInt(a + 16, nrNodes);
        m.putInt(a + 20, maxNodeId);
        m.putInt(a + 24, cpuKhz);
        m.putInt(a + 28, capabilities);
        m.putLong(a + 40, totalPages);
        m.putLong(a + 48, freePages);
        m.putLong(a + 56, scrubPages);
        m.putLong(a + 64, outstandingPages);
        m.putLong(a + 72, maxMfn);
        for (int i = 0; i < 8 && i < hwCap.length; i++) {
            m.putInt(a + 80 + 4L * i, hwCap[i]);
        }
    }
}
