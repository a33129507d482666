package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.proto.control.DestroyDomainRequest;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.proto.control.RenameDomainRequest;
import org.hvsim.proto.control.SourceLocation;
import org.hvsim.tools.xlcfg.XlConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The control plane as any gRPC client sees it (Host.channel()): the socket's permissions, health,
 * reflection, and the status codes of refusals, with messages people can act on. Nothing a refused call
 * asked for may be left behind.
 */
class ControlPlaneIT extends HostPerClass {

    private static StatusRuntimeException refused(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        return e;
    }

    private static DomainConfig.Builder config(String name) {
        return DomainConfig.newBuilder().setName(name).setTargetMemkb(Guests.MEMORY_MIB << 10).setCmdline("app=idle");
    }

    @Test
    void controlSocketIsTheOwnersOnly() throws Exception {
        Path sock = host.home().resolve("control.sock");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
    }

    @Test
    void healthIsServing() {
        ServingStatus status = HealthGrpc.newBlockingStub(host.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
        assertEquals(ServingStatus.SERVING, status);
    }

    @Test
    void reflectionListsTheHvsimServicesAndTheirProtoFile() throws Exception {
        List<ServerReflectionResponse> services = reflect(r -> r.setListServices(""));
        List<String> names = services.getFirst().getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();
        assertTrue(names.containsAll(List.of("hvsim.control.v1.DomainService", "hvsim.control.v1.HostService",
                "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection")), names.toString());

        List<ServerReflectionResponse> file = reflect(r -> r.setFileContainingSymbol("hvsim.control.v1.DomainService"));
        List<String> files = new ArrayList<>();
        for (var bytes : file.getFirst().getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
            files.add(proto.getName());
            if (proto.getPackage().equals("hvsim.control.v1")) {
                assertTrue(proto.getServiceList().stream().anyMatch(s -> s.getName().equals("DomainService")
                        && s.getMethodList().stream().anyMatch(m -> m.getName().equals("CreateDomain"))));
            }
        }
        assertTrue(files.contains("hvsim/control.proto"), files.toString());
    }

    /** One reflection request; its responses. */
    private static List<ServerReflectionResponse> reflect(Consumer<ServerReflectionRequest.Builder> what)
            throws Exception {
        CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
        List<ServerReflectionResponse> responses = new ArrayList<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(host.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public synchronized void onNext(ServerReflectionResponse response) {
                        responses.add(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public synchronized void onCompleted() {
                        done.complete(List.copyOf(responses));
                    }
                });
        ServerReflectionRequest.Builder request = ServerReflectionRequest.newBuilder();
        what.accept(request);
        requests.onNext(request.build());
        requests.onCompleted();
        List<ServerReflectionResponse> got = done.get(10, TimeUnit.SECONDS);
        assertEquals(1, got.size(), got.toString());
        assertTrue(!got.getFirst().hasErrorResponse(), got.getFirst().getErrorResponse().toString());
        return got;
    }

    @Test
    void unknownDomainIsNotFound() {
        var domains = host.domainService();
        StatusRuntimeException get = refused(Status.Code.NOT_FOUND,
                () -> domains.listDomains(ListDomainsRequest.newBuilder().setDomain("nope").build()));
        assertEquals("Domain 'nope' does not exist.", get.getStatus().getDescription());
        refused(Status.Code.NOT_FOUND,
                () -> domains.listDomains(ListDomainsRequest.newBuilder().setDomain("4242").build()));
        refused(Status.Code.NOT_FOUND,
                () -> domains.destroyDomain(DestroyDomainRequest.newBuilder().setDomain("nope").build()));
        refused(Status.Code.NOT_FOUND,
                () -> domains.destroyDomain(DestroyDomainRequest.newBuilder().setDomain("4242").build()));
        refused(Status.Code.NOT_FOUND, () -> domains.pauseDomain(DomainRef.newBuilder().setDomain("nope").build()));
        refused(Status.Code.NOT_FOUND, () -> domains.renameDomain(RenameDomainRequest.newBuilder()
                .setDomain("nope").setNewName("other").build()));
    }

    @Test
    void badConfigIsInvalidArgumentNamingFileLineAndColumn() throws Exception {
        long free = host.hostInfo().getFreeMemory();
        // As xl sends it: parsed from a file, each key with where it was set.
        Path cfg = host.config("cp-kernel", Guests.cfg("cp-kernel", "idle", "kernel = \"linux\""));
        DomainConfig fromFile = XlConfigLoader.load(cfg, List.of()).config();
        StatusRuntimeException kernel = refused(Status.Code.INVALID_ARGUMENT, () -> host.domainService()
                .createDomain(CreateDomainRequest.newBuilder().setConfig(fromFile).build()));
        assertEquals(cfg + ":6:10: kernel 'linux' is not a built-in kernel (built-in: minios); give a path to a "
                + "kernel jar for your own", kernel.getStatus().getDescription());

        // From a client that checks nothing itself: dom0 is the choke point.
        DomainConfig zeroVcpus = config("cp-vcpus").setVcpus(0).setSourceFile("cp.cfg").putLocations("vcpus",
                SourceLocation.newBuilder().setFile("cp.cfg").setLine(3).setColumn(9).build()).build();
        StatusRuntimeException vcpus = refused(Status.Code.INVALID_ARGUMENT, () -> host.domainService()
                .createDomain(CreateDomainRequest.newBuilder().setConfig(zeroVcpus).build()));
        assertTrue(vcpus.getStatus().getDescription().startsWith("cp.cfg:3:9: "), vcpus.getStatus().toString());

        DomainConfig maxmem = config("cp-maxmem").setMaxMemkb(8 << 10).build();
        refused(Status.Code.INVALID_ARGUMENT, () -> host.domainService()
                .createDomain(CreateDomainRequest.newBuilder().setConfig(maxmem).build()));
        refused(Status.Code.INVALID_ARGUMENT, () -> host.domainService()
                .createDomain(CreateDomainRequest.newBuilder().setConfig(config("")).build()));

        assertEquals(List.of("Domain-0"), guests.names());
        assertEquals(free, host.hostInfo().getFreeMemory());
    }

    @Test
    void duplicateNameIsAlreadyExists() {
        host.domainService().createDomain(CreateDomainRequest.newBuilder().setConfig(config("cp-dup")).build());
        long free = host.hostInfo().getFreeMemory();
        StatusRuntimeException dup = refused(Status.Code.ALREADY_EXISTS, () -> host.domainService()
                .createDomain(CreateDomainRequest.newBuilder().setConfig(config("cp-dup")).build()));
        assertEquals("Domain 'cp-dup' already exists.", dup.getStatus().getDescription());
        assertEquals(List.of("Domain-0", "cp-dup"), guests.names());
        assertEquals(free, host.hostInfo().getFreeMemory());
    }

    @Test
    void memoryAboveWhatIsFreeIsResourceExhausted() {
        HostInfo info = host.hostInfo();
        DomainConfig big = config("cp-big").setTargetMemkb((info.getFreeMemory() + 1) << 10).build();
        StatusRuntimeException e = refused(Status.Code.RESOURCE_EXHAUSTED, () -> host.domainService()
                .createDomain(CreateDomainRequest.newBuilder().setConfig(big).build()));
        assertTrue(e.getStatus().getDescription().contains("not enough free memory"), e.getStatus().toString());
        assertEquals(List.of("Domain-0"), guests.names());
        assertEquals(info.getFreeMemory(), host.hostService().getHostInfo(Empty.getDefaultInstance()).getFreeMemory());
    }
}
