package org.hvsim.dom0.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.toolstack.KernelResolver;
import org.hvsim.dom0.toolstack.StoreRings;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.dom0.xen.InProcessDom0;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.hv.testing.TestKernel;
import org.hvsim.hv.testing.TestKernels;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.DomainServiceGrpc;
import org.hvsim.proto.control.ListVcpusRequest;
import org.hvsim.proto.control.RunstateState;
import org.hvsim.proto.control.VcpuInfo;
import org.hvsim.proto.control.VcpuRunstate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ListVcpus carries each vCPU's runstate: a spinning guest's vCPU is running, a paused one's offline,
 * dom0's (the dom0 process's threads) running. (The blocked state is tested on the hypervisor and on a
 * live host: the test kernel's idle loop does not clear the events the toolstack's devices send it, so
 * it never stays blocked here.) Over a real toolstack on an in-process hypervisor with
 * the test kernel as the built-in "minios", 2 pCPUs.
 */
class ListVcpusRunstateTest {
    private static final long MS = 1_000_000;

    private final InProcessDom0 dom0;
    private final Xenconsoled consoles;
    private final Xenstored xenstored;
    private final Toolstack ts;
    private final Server server;
    private final ManagedChannel channel;
    private final DomainServiceGrpc.DomainServiceBlockingStub domains;

    ListVcpusRunstateTest() throws Exception {
        dom0 = InProcessDom0.start(2, 256);
        Path home = dom0.host().dir().resolve("home");
        Path kernels = Files.createDirectories(home.resolve("kernels"));
        Files.move(TestKernels.jarOf(dom0.host().dir(), TestKernel.class), kernels.resolve("minios.jar"));
        consoles = new Xenconsoled(dom0.platform(), home.resolve("log/console"));
        StoreRings rings = new StoreRings(dom0.platform());
        xenstored = Xenstored.builder().introducer(rings).build();
        ts = new Toolstack(dom0.platform(), home, new KernelResolver(kernels), consoles, xenstored, rings);
        ts.start(false);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new DomainServiceImpl(ts, consoles, 0)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        domains = DomainServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void close() throws Exception {
        try {
            channel.shutdownNow();
            server.shutdownNow();
            ts.close();
            xenstored.close();
            consoles.close();
            dom0.host().destroyGuests();
        } finally {
            dom0.close();
        }
    }

    private VcpuRunstate runstate(String domain) {
        List<VcpuInfo> vcpus = domains.listVcpus(ListVcpusRequest.newBuilder().addDomains(domain).build()).getVcpusList();
        assertEquals(1, vcpus.size(), vcpus.toString());
        assertTrue(vcpus.getFirst().hasRunstate(), vcpus.toString());
        return vcpus.getFirst().getRunstate();
    }

    private static long sum(VcpuRunstate r) {
        return r.getRunningNs() + r.getRunnableNs() + r.getBlockedNs() + r.getOfflineNs();
    }

    @Test
    void aSpinnersVcpuIsRunningAPausedOnesOfflineAndDom0sRunning() throws Exception {
        ts.create(DomainConfig.newBuilder().setName("spinner").setCmdline("spin").setTargetMemkb(8 << 10).build(), false);
        ts.create(DomainConfig.newBuilder().setName("paused").setCmdline("spin").setTargetMemkb(8 << 10).build(), false);
        TestHost.await(() -> runstate("spinner").getRunningNs() > 50 * MS && runstate("paused").getRunningNs() > 50 * MS,
                10_000, "both spinners to run 50 ms");
        ts.pause("paused");
        VcpuRunstate frozen = runstate("paused");
        assertEquals(RunstateState.RUNSTATE_STATE_OFFLINE, frozen.getState(), "a paused vCPU is offline, as in Xen");
        TestHost.await(() -> runstate("paused").getOfflineNs() > frozen.getOfflineNs() + 50 * MS, 10_000,
                "50 ms more offline");

        VcpuRunstate paused = runstate("paused");
        assertEquals(frozen.getRunningNs(), paused.getRunningNs(), "a paused vCPU does not run");
        assertEquals(frozen.getStateEntryTimeNs(), paused.getStateEntryTimeNs());
        assertTrue(paused.getStateEntryTimeNs() <= paused.getNowNs());
        assertEquals(paused.getOfflineNs() - frozen.getOfflineNs(), sum(paused) - sum(frozen),
                "while paused, only the offline time grows");
        VcpuRunstate spin = runstate("spinner");
        assertEquals(RunstateState.RUNSTATE_STATE_RUNNING, spin.getState());
        assertEquals(0, spin.getBlockedNs());

        List<VcpuInfo> all = domains.listVcpus(ListVcpusRequest.getDefaultInstance()).getVcpusList();
        assertEquals(3, all.size(), all.toString());
        assertTrue(all.stream().allMatch(VcpuInfo::hasRunstate), all.toString());
        VcpuInfo d0 = all.stream().filter(v -> v.getDomid() == 0).findFirst().orElseThrow();
        assertEquals(RunstateState.RUNSTATE_STATE_RUNNING, d0.getRunstate().getState(),
                "dom0's vCPUs are the dom0 process's threads, not scheduled by the hypervisor");
    }
}
