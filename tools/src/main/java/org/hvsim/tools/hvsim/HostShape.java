package org.hvsim.tools.hvsim;

import java.nio.file.Path;
import java.util.Objects;

/** What {@code hvsim start} asks for: the home, machine memory, pCPUs, scheduler and dom0's memory. */
public record HostShape(Path home, long memoryBytes, int cpus, String scheduler, long dom0MemoryBytes) {
    public HostShape {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(scheduler, "scheduler");
        if (memoryBytes <= 0 || dom0MemoryBytes <= 0 || cpus <= 0) {
            throw new IllegalArgumentException("sizes and counts must be positive");
        }
    }
}
