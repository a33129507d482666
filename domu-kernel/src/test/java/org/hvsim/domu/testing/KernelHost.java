package org.hvsim.domu.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;

/**
 * An in-process hypervisor ({@link TestHost}) with this module's kernel jar, booting guests the way the
 * toolstack will: vCPU 0 from start_info, secondary vCPUs with {@code ENTRY_SECONDARY} contexts.
 * Closing it destroys every guest and checks the memory invariants.
 */
public final class KernelHost implements AutoCloseable {
    private final TestHost host;
    private final Path jar;

    private KernelHost(TestHost host, Path jar) {
        this.host = host;
        this.jar = jar;
    }

    /** A host with {@code pcpus} pCPUs and 128 MiB of machine memory. */
    public static KernelHost start(int pcpus) throws Exception {
        TestHost host = TestHost.start(pcpus, 128);
        return new KernelHost(host, KernelJar.write(host.dir()));
    }

    public TestHost host() {
        return host;
    }

    /**
     * Builds a guest running this kernel with {@code cmdline}, {@code memoryMiB} of RAM and {@code vcpus}
     * vCPUs, all of them online, and unpauses it.
     */
    public Domain boot(String cmdline, int memoryMiB, int vcpus) throws Exception {
        Domain d = build(cmdline, memoryMiB, vcpus);
        assertEquals(0, d.unpauseByController());
        return d;
    }

    /** As {@link #boot}, left paused; secondary vCPUs get their context (and so come up) here. */
    public Domain build(String cmdline, int memoryMiB, int vcpus) throws Exception {
        return build(cmdline, memoryMiB, vcpus, vcpus);
    }

    /** As {@link #build}, with only vCPUs {@code 0..online-1} given a context; the rest stay down. */
    public Domain build(String cmdline, int memoryMiB, int vcpus, int online) throws Exception {
        Domain d = host.build(jar, cmdline, memoryMiB, vcpus);
        for (int i = 1; i < online; i++) {
            bringUp(d, i);
        }
        return d;
    }

    /** Boots a one-vCPU guest whose kernel is the test kernel {@code kernel} over this module's classes. */
    public Domain bootTestKernel(Class<? extends GuestKernel> kernel, String cmdline, int memoryMiB) throws Exception {
        Domain d = host.build(KernelJar.withKernel(host.dir(), kernel), cmdline, memoryMiB, 1);
        assertEquals(0, d.unpauseByController());
        return d;
    }

    /** Gives secondary vCPU {@code vcpu} its context, as the toolstack does; it runs once unpaused. */
    public static void bringUp(Domain d, int vcpu) {
        assertEquals(0, d.vcpu(vcpu).setContext(new VcpuGuestContext(VcpuGuestContext.VGCF_ONLINE,
                VcpuGuestContext.ENTRY_SECONDARY, 0)));
    }

    public GuestConsole console(Domain d) {
        return new GuestConsole(host, d);
    }

    @Override
    public void close() throws Exception {
        try {
            host.destroyGuests();
            assertEquals(List.of(), host.invariants());
        } finally {
            host.close();
        }
    }
}
