package org.hvsim.hv.boot;

import java.nio.file.Path;

/**
 * How a host is configured (hvsim start's options): its state directory, machine memory size and
 * where the file lives, pCPUs, scheduling policy, dom0's memory and vCPUs, and the kernels directory.
 */
public record HostConfig(Path home, long memoryBytes, Path memoryDir, int cpus, String sched, long dom0MemoryBytes,
        int dom0Vcpus, Path kernels) {

    public static final long MIN_MEMORY = 64L << 20;
    public static final int MAX_CPUS = 256;

    public HostConfig {
        if (memoryBytes < MIN_MEMORY || memoryBytes % 4096 != 0) {
            throw new IllegalArgumentException("machine memory must be a multiple of 4 KiB and at least 64 MiB, got "
                    + memoryBytes + " bytes");
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("pCPUs must be 1.." + MAX_CPUS + ", got " + cpus);
        }
        if (dom0MemoryBytes < (16L << 20) || dom0MemoryBytes > memoryBytes / 2) {
            throw new IllegalArgumentException("dom0 memory must be at least 16 MiB and at most half the machine's, got "
                    + (dom0MemoryBytes >> 20) + " MiB of " + (memoryBytes >> 20) + " MiB");
        }
        if (dom0Vcpus < 1) {
            throw new IllegalArgumentException("dom0 needs at least one vCPU");
        }
    }

    public Path privcmdSocket() {
        return home.resolve("privcmd.sock");
    }

    public Path controlSocket() {
        return home.resolve("control.sock");
    }

    public Path pidFile() {
        return home.resolve("hypervisor.pid");
    }

    public Path lockFile() {
        return home.resolve("hypervisor.lock");
    }

    public Path logDir() {
        return home.resolve("log");
    }

    /** A link in the state directory to the machine memory file (which lives in {@link #memoryDir}). */
    public Path memoryLink() {
        return home.resolve("machine.mem");
    }

    /** The kernel command line style description xen_version(XENVER_commandline) reports. */
    public String commandLine() {
        return "mem=" + (memoryBytes >> 20) + "M cpus=" + cpus + " sched=" + sched + " dom0_mem=" + (dom0MemoryBytes >> 20)
                + "M dom0_max_vcpus=" + dom0Vcpus;
    }
}
