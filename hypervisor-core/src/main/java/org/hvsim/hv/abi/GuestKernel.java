package org.hvsim.hv.abi;

/**
 * A paravirtualized guest kernel: the code a domU's vCPUs execute. Kernels are found with
 * {@link java.util.ServiceLoader} in a kernel jar named by {@code kernel=} in {@code xl.cfg} and loaded
 * through a class loader that exposes only the guest ABI (this package) and the virtio library, so a
 * kernel reaches the machine through hypercalls and its {@link GuestMemory} alone.
 *
 * <p>The hypervisor creates one instance per domain (the provider's public no-argument constructor)
 * when the domain's vCPU 0 first runs, and calls {@link #boot} on vCPU 0. A kernel that returns from
 * {@code boot} or {@link #startSecondary}, or throws, has crashed the domain ({@code SHUTDOWN_crash}):
 * a kernel ends by shutting down with {@code SCHEDOP_shutdown}, which does not return.
 */
public interface GuestKernel {

    /**
     * Entry point of vCPU 0. {@code startInfoAddress} is the guest-physical address of the
     * {@link StartInfo} page the domain builder filled.
     */
    void boot(GuestCpu cpu, long startInfoAddress);

    /**
     * Entry point of a secondary vCPU brought up with {@code VCPUOP_initialise} and {@code VCPUOP_up};
     * {@code argument} is the value the kernel put in the vCPU context it passed to VCPUOP_initialise.
     */
    default void startSecondary(GuestCpu cpu, long argument) {
        throw new IllegalStateException("this kernel does not bring up secondary vCPUs");
    }
}
