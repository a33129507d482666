package org.hvsim.tools.xl.training;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.DomainServiceGrpc;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.proto.control.HostServiceGrpc;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.proto.control.ListDomainsResponse;
import org.hvsim.proto.control.ListVcpusRequest;
import org.hvsim.proto.control.ListVcpusResponse;
import org.hvsim.proto.control.ReadConsoleRequest;
import org.hvsim.proto.control.ReadConsoleResponse;
import org.hvsim.proto.control.VcpuInfo;
import org.hvsim.proto.control.VcpuRunstate;

/**
 * A fixed, read-only host for training: dom0 and two guests, their vCPUs, host facts and a console ring.
 * It answers the queries xl makes most (list, vcpu-list, vcpu-runstate, info, uptime, dmesg, domid); it changes nothing.
 *
 * <p>Threads: gRPC's server threads; immutable.
 */
final class CannedHost {
    private static final long START = 1_700_000_000L;
    private final List<DomainInfo> domains = List.of(
            domain(0, "Domain-0", 512, 2, true, false),
            domain(1, "guest-1", 256, 2, false, true),
            domain(2, "guest-2", 128, 1, false, false));

    DomainServiceGrpc.DomainServiceImplBase domainService() {
        return new DomainServiceGrpc.DomainServiceImplBase() {
            @Override
            public void listDomains(ListDomainsRequest request, StreamObserver<ListDomainsResponse> response) {
                List<DomainInfo> selected = new ArrayList<>();
                for (DomainInfo d : domains) {
                    if (request.getDomain().isEmpty() || request.getDomain().equals(d.getName())
                            || request.getDomain().equals(Integer.toString(d.getDomid()))) {
                        selected.add(request.getWithConfig() ? d.toBuilder().setConfig(DomainConfig.newBuilder()
                                .setName(d.getName()).setVcpus(d.getOnlineVcpus())
                                .setTargetMemkb(d.getCurrentMemkb())).build() : d);
                    }
                }
                if (selected.isEmpty()) {
                    response.onError(Status.NOT_FOUND.withDescription("Domain '" + request.getDomain()
                            + "' does not exist.").asRuntimeException());
                    return;
                }
                response.onNext(ListDomainsResponse.newBuilder().addAllDomains(selected).build());
                response.onCompleted();
            }

            @Override
            public void listVcpus(ListVcpusRequest request, StreamObserver<ListVcpusResponse> response) {
                ListVcpusResponse.Builder out = ListVcpusResponse.newBuilder();
                for (DomainInfo d : domains) {
                    for (int v = 0; v < d.getMaxVcpus(); v++) {
                        out.addVcpus(VcpuInfo.newBuilder().setDomid(d.getDomid()).setName(d.getName()).setVcpu(v)
                                .setOnline(v < d.getOnlineVcpus()).setRunning(d.getRunning()).setCpu(v % 2)
                                .setCpuTimeNs(1_234_567_890L * (v + 1))
                                .setHardAffinity(CpuSet.newBuilder().setAll(true))
                                .setSoftAffinity(CpuSet.newBuilder().addCpus(0).addCpus(1))
                                .setRunstate(VcpuRunstate.newBuilder()
                                        .setStateValue(v < d.getOnlineVcpus() ? 2 : 3)
                                        .setRunningNs(1_234_567_890L * (v + 1)).setBlockedNs(98_765_432_100L)
                                        .setOfflineNs(150_000_000L).setNowNs(100_149_999_990L)));
                    }
                }
                response.onNext(out.build());
                response.onCompleted();
            }
        };
    }

    HostServiceGrpc.HostServiceImplBase hostService() {
        return new HostServiceGrpc.HostServiceImplBase() {
            @Override
            public void getHostInfo(Empty request, StreamObserver<HostInfo> response) {
                response.onNext(HostInfo.newBuilder().setHost("training").setRelease("6.1.0").setVersion("#1 SMP")
                        .setMachine("x86_64").setNrCpus(2).setMaxCpuId(1).setNrNodes(1).setCoresPerSocket(2)
                        .setThreadsPerCore(1).setCpuKhz(2_400_000).addVirtCaps("pv").setTotalMemory(4096)
                        .setFreeMemory(3200).setFreeCpus(0).setXenMajor(4).setXenMinor(19).setXenExtra(".0")
                        .setXenCaps("xen-3.0-x86_64").setXenScheduler("rr").setXenPagesize(4096)
                        .setPlatformParams("virt_start=0xffff800000000000").build());
                response.onCompleted();
            }

            @Override
            public void readConsole(ReadConsoleRequest request, StreamObserver<ReadConsoleResponse> response) {
                response.onNext(ReadConsoleResponse.newBuilder().setText("(XEN) hvsim training host\n").build());
                response.onCompleted();
            }
        };
    }

    private static DomainInfo domain(int domid, String name, int memMib, int vcpus, boolean running, boolean paused) {
        return DomainInfo.newBuilder().setDomid(domid).setName(name)
                .setUuid(String.format("00000000-0000-0000-0000-%012d", domid))
                .setRunning(running).setBlocked(!running && !paused).setPaused(paused)
                .setCurrentMemkb(memMib * 1024L).setMaxMemkb(memMib * 1024L).setOnlineVcpus(vcpus)
                .setMaxVcpus(vcpus + 1).setCpuTimeNs(12_345_678_901L * (domid + 1))
                .setStartTimeUnixSeconds(START + domid * 3600L).build();
    }
}
