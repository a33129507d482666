package org.hvsim.tools.hvsim;

import com.google.protobuf.Empty;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.DomainServiceGrpc;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.proto.control.HostServiceGrpc;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.proto.control.ListDomainsResponse;
import org.hvsim.tools.client.NettyDefaults;

/**
 * Stands in for {@code org.hvsim.hv.boot.HypervisorMain} in hvsim's tests: takes the same arguments and,
 * by {@code -Dstandin.mode}, serves a control plane on {@code <home>/control.sock} describing the host it
 * was asked for ({@code serve}, the default), exits at once with status 3 ({@code exit}), or never serves
 * ({@code hang}). Exits on SIGTERM.
 */
public final class StandInHypervisor {
    private StandInHypervisor() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String mode = System.getProperty("standin.mode", "serve");
        switch (mode) {
            case "exit" -> {
                System.out.println("stand-in hypervisor " + String.join(" ", args));
                System.out.println("stand-in: refusing to start");
                System.exit(3);
            }
            case "hang" -> {
                System.out.println("stand-in hypervisor " + String.join(" ", args));
                Thread.currentThread().join();
            }
            default -> {
                System.out.println("stand-in hypervisor " + String.join(" ", args));
                serve(options);
            }
        }
    }

    private static void serve(Map<String, String> options) throws Exception {
        NettyDefaults.forCommandLine();
        Path socket = Path.of(options.get("--home")).resolve("control.sock");
        HostInfo info = HostInfo.newBuilder()
                .setTotalMemory(bytes(options.get("--memory")) >> 20)
                .setFreeMemory((bytes(options.get("--memory")) - bytes(options.get("--dom0-mem"))) >> 20)
                .setNrCpus(Integer.parseInt(options.get("--cpus")))
                .setXenScheduler(options.get("--sched"))
                .build();
        var group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .bossEventLoopGroup(group).workerEventLoopGroup(group)
                .channelType(EpollServerDomainSocketChannel.class).directExecutor()
                .addService(new HostServiceGrpc.HostServiceImplBase() {
                    @Override
                    public void getHostInfo(Empty request, StreamObserver<HostInfo> response) {
                        response.onNext(info);
                        response.onCompleted();
                    }
                })
                .addService(new DomainServiceGrpc.DomainServiceImplBase() {
                    @Override
                    public void listDomains(ListDomainsRequest request, StreamObserver<ListDomainsResponse> response) {
                        response.onNext(ListDomainsResponse.newBuilder()
                                .addDomains(DomainInfo.newBuilder().setDomid(0).setName("Domain-0")).build());
                        response.onCompleted();
                    }
                })
                .build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            try {
                Files.deleteIfExists(socket);
            } catch (Exception e) {
                System.out.println("stand-in: " + e);
            }
        }));
        server.awaitTermination();
    }

    /** The hypervisor's size arguments: bytes with a "b" suffix, as hvsim start passes them. */
    private static long bytes(String arg) {
        return Long.parseLong(arg.endsWith("b") ? arg.substring(0, arg.length() - 1) : arg);
    }
}
