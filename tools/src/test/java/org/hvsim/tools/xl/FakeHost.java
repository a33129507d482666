package org.hvsim.tools.xl;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.hvsim.proto.control.ConsoleInput;
import org.hvsim.proto.control.ConsoleOutput;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.proto.control.CreateDomainResponse;
import org.hvsim.proto.control.DestroyDomainRequest;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.proto.control.DomainServiceGrpc;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.proto.control.HostServiceGrpc;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.proto.control.ListDomainsResponse;
import org.hvsim.proto.control.ListVcpusRequest;
import org.hvsim.proto.control.ListVcpusResponse;
import org.hvsim.proto.control.SetVcpuAffinityRequest;
import org.hvsim.proto.control.ReadConsoleRequest;
import org.hvsim.proto.control.ReadConsoleResponse;
import org.hvsim.proto.control.RenameDomainRequest;
import org.hvsim.proto.control.SetVcpuOnlineRequest;
import org.hvsim.proto.control.ShutdownDomainRequest;
import org.hvsim.proto.control.VcpuInfo;

/**
 * A test host: canned domains, vCPUs, host facts and a console ring, answering as dom0's contract says
 * (a domain named by id or name; NOT_FOUND "Domain 'x' does not exist." otherwise), and recording every
 * request that changes something. Console streams are driven by the test through {@link #consoleInputs}
 * and {@link #console}.
 *
 * <p>Threads: gRPC's in-process server calls (direct executor: the calling thread) and the test thread;
 * the lists are concurrent.
 */
final class FakeHost {
    final List<DomainInfo> domains = new CopyOnWriteArrayList<>();
    final List<VcpuInfo> vcpus = new CopyOnWriteArrayList<>();
    volatile HostInfo hostInfo = HostInfo.getDefaultInstance();
    volatile String consoleRing = "";
    /** Every request that changes state, in arrival order. */
    final List<Object> requests = new CopyOnWriteArrayList<>();
    /** Disks by domain id, as dom0 would read them from xenstore. */
    final java.util.Map<Integer, java.util.List<org.hvsim.proto.control.BlockDevice>> disks =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Workload results by domain id, as dom0 would read them from xenstore. */
    final java.util.Map<Integer, String> workloadResults = new java.util.concurrent.ConcurrentHashMap<>();
    /** What the next CreateDomain fails with, or null to succeed. */
    volatile Status createFailure;
    /** Bytes written to the open console stream by the client (one entry per message). */
    final BlockingQueue<ByteString> consoleInputs = new LinkedBlockingQueue<>();
    /** The open console stream's response side, once a client attached. */
    volatile ServerCallStreamObserver<ConsoleOutput> console;
    /** Set when the client half-closed or cancelled its console stream. */
    volatile boolean consoleClientDone;

    DomainInfo find(String qualifier) {
        for (DomainInfo d : domains) {
            if (qualifier.equals(d.getName()) || qualifier.equals(Integer.toUnsignedString(d.getDomid()))) {
                return d;
            }
        }
        return null;
    }

    private static io.grpc.StatusRuntimeException notFound(String qualifier) {
        return Status.NOT_FOUND.withDescription("Domain '" + qualifier + "' does not exist.").asRuntimeException();
    }

    DomainServiceGrpc.DomainServiceImplBase domainService() {
        return new DomainServiceGrpc.DomainServiceImplBase() {
            @Override
            public void listDomains(ListDomainsRequest request, StreamObserver<ListDomainsResponse> response) {
                List<DomainInfo> selected = new ArrayList<>();
                if (request.getDomain().isEmpty()) {
                    selected.addAll(domains);
                } else {
                    DomainInfo d = find(request.getDomain());
                    if (d == null) {
                        response.onError(notFound(request.getDomain()));
                        return;
                    }
                    selected.add(d);
                }
                ListDomainsResponse.Builder out = ListDomainsResponse.newBuilder();
                for (DomainInfo d : selected) {
                    out.addDomains(request.getWithConfig() ? d : d.toBuilder().clearConfig().build());
                }
                response.onNext(out.build());
                response.onCompleted();
            }

            @Override
            public void setVcpuAffinity(SetVcpuAffinityRequest request, StreamObserver<Empty> response) {
                requests.add(request);
                response.onNext(Empty.getDefaultInstance());
                response.onCompleted();
            }

            @Override
            public void attachBlockDevice(org.hvsim.proto.control.AttachBlockDeviceRequest request,
                    StreamObserver<Empty> response) {
                DomainInfo d = find(request.getDomain());
                if (d == null) {
                    response.onError(notFound(request.getDomain()));
                    return;
                }
                requests.add(request);
                response.onNext(Empty.getDefaultInstance());
                response.onCompleted();
            }

            @Override
            public void detachBlockDevice(org.hvsim.proto.control.DetachBlockDeviceRequest request,
                    StreamObserver<Empty> response) {
                DomainInfo d = find(request.getDomain());
                boolean has = d != null && disks.getOrDefault(d.getDomid(), java.util.List.of()).stream()
                        .anyMatch(b -> b.getVdev().equals(request.getDevice())
                                || Integer.toString(b.getDevid()).equals(request.getDevice()));
                if (!has) {
                    response.onError(Status.NOT_FOUND.withDescription("Error: Device " + request.getDevice()
                            + " not connected.").asRuntimeException());
                    return;
                }
                requests.add(request);
                response.onNext(Empty.getDefaultInstance());
                response.onCompleted();
            }

            @Override
            public void listBlockDevices(org.hvsim.proto.control.DomainRef request,
                    StreamObserver<org.hvsim.proto.control.ListBlockDevicesResponse> response) {
                DomainInfo d = find(request.getDomain());
                if (d == null) {
                    response.onError(notFound(request.getDomain()));
                    return;
                }
                response.onNext(org.hvsim.proto.control.ListBlockDevicesResponse.newBuilder().setDomid(d.getDomid())
                        .addAllDevices(disks.getOrDefault(d.getDomid(), java.util.List.of())).build());
                response.onCompleted();
            }

            @Override
            public void getWorkloadResult(org.hvsim.proto.control.DomainRef request,
                    StreamObserver<org.hvsim.proto.control.WorkloadResult> response) {
                DomainInfo d = find(request.getDomain());
                if (d == null) {
                    response.onError(notFound(request.getDomain()));
                    return;
                }
                String json = workloadResults.get(d.getDomid());
                if (json == null) {
                    response.onError(Status.NOT_FOUND.withDescription("Domain " + d.getDomid() + " (" + d.getName()
                            + ") has left no workload result").asRuntimeException());
                    return;
                }
                response.onNext(org.hvsim.proto.control.WorkloadResult.newBuilder().setDomid(d.getDomid())
                        .setName(d.getName()).setJson(json).build());
                response.onCompleted();
            }

            @Override
            public void setVcpuOnline(SetVcpuOnlineRequest request, StreamObserver<Empty> response) {
                DomainInfo d = find(request.getDomain());
                if (d == null) {
                    response.onError(notFound(request.getDomain()));
                    return;
                }
                long count = Integer.toUnsignedLong(request.getCount());
                String refusal = count == 0 ? "Requested 0 VCPUs!"
                        : count > d.getMaxVcpus() ? "Requested " + count + " VCPUs, however maxcpus is "
                                + d.getMaxVcpus() + "!" : null;
                if (refusal != null) {
                    response.onError(Status.INVALID_ARGUMENT.withDescription(refusal).asRuntimeException());
                    return;
                }
                requests.add(request);
                response.onNext(Empty.getDefaultInstance());
                response.onCompleted();
            }

            @Override
            public void listVcpus(ListVcpusRequest request, StreamObserver<ListVcpusResponse> response) {
                ListVcpusResponse.Builder out = ListVcpusResponse.newBuilder();
                for (String qualifier : request.getDomainsList()) {
                    if (find(qualifier) == null) {
                        response.onError(notFound(qualifier));
                        return;
                    }
                }
                for (VcpuInfo v : vcpus) {
                    boolean wanted = request.getDomainsCount() == 0;
                    for (String qualifier : request.getDomainsList()) {
                        wanted |= find(qualifier).getDomid() == v.getDomid();
                    }
                    if (wanted) {
                        out.addVcpus(v);
                    }
                }
                response.onNext(out.build());
                response.onCompleted();
            }

            @Override
            public void createDomain(CreateDomainRequest request, StreamObserver<CreateDomainResponse> response) {
                requests.add(request);
                if (createFailure != null) {
                    response.onError(createFailure.asRuntimeException());
                    return;
                }
                int domid = 1 + domains.stream().mapToInt(DomainInfo::getDomid).max().orElse(0);
                domains.add(DomainInfo.newBuilder().setDomid(domid).setName(request.getConfig().getName())
                        .setPaused(request.getPaused()).build());
                response.onNext(CreateDomainResponse.newBuilder().setDomid(domid)
                        .setName(request.getConfig().getName()).build());
                response.onCompleted();
            }

            @Override
            public void destroyDomain(DestroyDomainRequest request, StreamObserver<Empty> response) {
                requests.add(request);
                answer(request.getDomain(), response);
            }

            @Override
            public void pauseDomain(DomainRef request, StreamObserver<Empty> response) {
                requests.add(request);
                answer(request.getDomain(), response);
            }

            @Override
            public void unpauseDomain(DomainRef request, StreamObserver<Empty> response) {
                requests.add(request);
                answer(request.getDomain(), response);
            }

            @Override
            public void shutdownDomain(ShutdownDomainRequest request, StreamObserver<Empty> response) {
                requests.add(request);
                answer(request.getDomain(), response);
            }

            @Override
            public void renameDomain(RenameDomainRequest request, StreamObserver<Empty> response) {
                requests.add(request);
                for (DomainInfo d : domains) {
                    if (d.getName().equals(request.getNewName())) {
                        response.onError(Status.ALREADY_EXISTS.withDescription("Domain with name '"
                                + request.getNewName() + "' already exists.").asRuntimeException());
                        return;
                    }
                }
                answer(request.getDomain(), response);
            }

            @Override
            public StreamObserver<ConsoleInput> console(StreamObserver<ConsoleOutput> response) {
                ServerCallStreamObserver<ConsoleOutput> stream = (ServerCallStreamObserver<ConsoleOutput>) response;
                stream.setOnCancelHandler(() -> consoleClientDone = true);
                return new StreamObserver<>() {
                    @Override
                    public void onNext(ConsoleInput input) {
                        if (input.hasDomain()) {
                            DomainInfo d = find(input.getDomain());
                            if (d == null) {
                                stream.onError(notFound(input.getDomain()));
                                return;
                            }
                            stream.onNext(ConsoleOutput.newBuilder().setAttached(true).setDomid(d.getDomid())
                                    .build());
                            console = stream;
                        } else {
                            consoleInputs.add(input.getData());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        consoleClientDone = true;
                    }

                    @Override
                    public void onCompleted() {
                        consoleClientDone = true;
                    }
                };
            }
        };
    }

    private void answer(String qualifier, StreamObserver<Empty> response) {
        if (find(qualifier) == null) {
            response.onError(notFound(qualifier));
            return;
        }
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
    }

    HostServiceGrpc.HostServiceImplBase hostService() {
        return new HostServiceGrpc.HostServiceImplBase() {
            @Override
            public void getHostInfo(Empty request, StreamObserver<HostInfo> response) {
                response.onNext(hostInfo);
                response.onCompleted();
            }

            @Override
            public void readConsole(ReadConsoleRequest request, StreamObserver<ReadConsoleResponse> response) {
                requests.add(request);
                response.onNext(ReadConsoleResponse.newBuilder().setText(consoleRing).build());
                response.onCompleted();
                if (request.getClear()) {
                    consoleRing = "";
                }
            }
        };
    }
}
