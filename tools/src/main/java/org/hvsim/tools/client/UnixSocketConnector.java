package org.hvsim.tools.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Connects to dom0's control socket: gRPC over netty's epoll Unix domain socket transport, plaintext (the
 * socket's 0600 mode is the access control), one event loop thread, calls completed on that thread.
 * A missing socket file is reported at once, without starting any of netty.
 */
public final class UnixSocketConnector implements ControlPlaneConnector {
    /** Largest message xl accepts from dom0 (a domain list with configurations, a console ring). */
    public static final int MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final Path socket;

    public UnixSocketConnector(Path socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
    }

    @Override
    public ControlPlane connect() throws HostNotRunningException {
        if (!Files.exists(socket)) {
            throw HostNotRunningException.noSocket(socket);
        }
        NettyDefaults.forCommandLine();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .directExecutor()
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .build();
        return new ControlPlane(channel, socket.toString(),
                () -> group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS));
    }
}
