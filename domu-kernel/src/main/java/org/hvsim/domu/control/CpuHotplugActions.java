package org.hvsim.domu.control;

import org.hvsim.domu.cpu.PerCpu;

/** What the CPU hotplug watcher needs of the kernel: a console line, and taking vCPUs up and down. */
public interface CpuHotplugActions {

    /** Writes {@code line} to the console. */
    void report(PerCpu cpu, String line);

    /** How many vCPUs the domain has (its maxvcpus); ids at or above it are not this domain's. */
    int vcpus();

    /** Brings vCPU {@code id} (not 0) up if it is not up; reports the change or the failure. */
    void online(PerCpu cpu, int id);

    /** Takes vCPU {@code id} (not 0) down if it is up; reports the change or the failure. */
    void offline(PerCpu cpu, int id);
}
