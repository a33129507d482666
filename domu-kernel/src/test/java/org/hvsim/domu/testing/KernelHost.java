package org.hvsim.domu.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.vcpu.VcpuGuestContext;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.evtchn.EventChannelManager;
import org.hvsim.hv.testing.TestHost;

/**
 * An in-process hypervisor ({@link TestHost}) with this module's kernel jar, booting guests the way the
 * toolstack will: vCPU 0 from start_info, secondary vCPUs with {@code ENTRY_SECONDARY} contexts, and (with
 * {@link #bootWithXenstore}) a xenstore ring served by a {@link RingXenstored}. Closing it stops those,
 * destroys every guest and checks the memory invariants.
 */
public final class KernelHost implements AutoCloseable {
    /** The frame guests of {@link #bootWithXenstore} get their xenstore ring in (free in TestHost's layout). */
    public static final long STORE_PFN = 2;

    /** A guest with a xenstore ring, and the xenstored serving it. */
    public record StoreGuest(Domain domain, RingXenstored xenstored) {}

    private final TestHost host;
    private final Path jar;
    private final List<RingXenstored> xenstoreds = new ArrayList<>();
    private final List<Integer> dom0StorePorts = new ArrayList<>();

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

    /**
     * As {@link #boot}, with a xenstore ring in frame {@value #STORE_PFN} named in start_info
     * ({@code store_mfn}, {@code store_evtchn}), served by a {@link RingXenstored} in place of dom0's
     * xenstored. The store port is an interdomain channel whose dom0 end the hypervisor consumes, so a
     * guest's notification kicks the server directly. {@code setup} runs before the guest is unpaused (to
     * seed nodes as the toolstack would, or to hand the ring over in reconnect).
     */
    public StoreGuest bootWithXenstore(String cmdline, int memoryMiB, int vcpus, Consumer<RingXenstored> setup)
            throws Exception {
        return bootWithXenstore(cmdline, memoryMiB, vcpus, vcpus, setup);
    }

    /** As {@link #bootWithXenstore(String, int, int, Consumer)}, with only vCPUs {@code 0..online-1} given a context. */
    public StoreGuest bootWithXenstore(String cmdline, int memoryMiB, int vcpus, int online,
            Consumer<RingXenstored> setup) throws Exception {
        Domain d = build(cmdline, memoryMiB, vcpus, online);
        EventChannelManager evtchn = host.hv().evtchn();
        GuestMemory m = d.hypervisorView();
        long ring = Page.addressOf(STORE_PFN);
        RingXenstored[] server = new RingXenstored[1];
        int dom0Port = evtchn.allocXenUnbound(host.dom0(), 0, d.domid(), (dom, vcpu, port) -> server[0].kick());
        assertTrue(dom0Port > 0, "dom0 store port: " + dom0Port);
        dom0StorePorts.add(dom0Port);
        int guestPort = evtchn.bindInterdomain(d, DomId.DOM0, dom0Port);
        assertTrue(guestPort > 0, "guest store port: " + guestPort);
        server[0] = new RingXenstored(m, ring, d.domid(), () -> evtchn.notify(host.dom0(), dom0Port));
        xenstoreds.add(server[0]);
        long siAddress = Page.addressOf(TestHost.START_INFO_PFN);
        StartInfo si = StartInfo.read(m, siAddress);
        new StartInfo(si.magic(), si.nrPages(), si.sharedInfo(), si.flags(), STORE_PFN, guestPort, si.consoleMfn(),
                si.consoleEvtchn(), si.modStart(), si.modLen(), si.cmdLine()).write(m, siAddress);
        server[0].start();
        setup.accept(server[0]);
        assertEquals(0, d.unpauseByController());
        return new StoreGuest(d, server[0]);
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
            for (RingXenstored x : xenstoreds) {
                x.close();
            }
            for (int port : dom0StorePorts) {
                host.hv().evtchn().closeXen(host.dom0(), port);
            }
            host.destroyGuests();
            assertEquals(List.of(), host.invariants());
        } finally {
            host.close();
        }
    }
}
