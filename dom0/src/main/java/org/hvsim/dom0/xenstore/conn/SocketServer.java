package org.hvsim.dom0.xenstore.conn;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.dom0.xenstore.core.XenstoredCore;

/**
 * xenstored's Unix socket ({@code $XENSTORED_PATH} for libxenstore and pyxs). The socket is bound in a
 * private directory, given mode 0600 and only then renamed into place, so no other user can ever
 * connect; every client is a privileged dom0 tool. The channels live on xenstored's dispatch event loop.
 * Threads: {@link #bind} and {@link #close} from any thread; I/O on the dispatch event loop.
 */
public final class SocketServer implements AutoCloseable {
    private final Channel server;
    private final ChannelGroup clients;
    private final Path socket;

    private SocketServer(Channel server, ChannelGroup clients, Path socket) {
        this.server = server;
        this.clients = clients;
        this.socket = socket;
    }

    /** Listens on {@code socket} (replacing a stale one) with the single-threaded {@code loop}. */
    public static SocketServer bind(Path socket, EventLoopGroup loop, XenstoredCore core, RateLimitedLog log)
            throws IOException {
        Path abs = socket.toAbsolutePath();
        Files.deleteIfExists(abs);
        Path dir = Files.createTempDirectory(abs.getParent(), ".xenstored-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path bound = dir.resolve("socket");
        ChannelGroup clients = new DefaultChannelGroup("xenstored-clients", loop.next());
        try {
            ChannelFuture f = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            clients.add(ch);
                            ch.pipeline().addLast("xenstored", new SocketHandler(core, log));
                        }
                    })
                    .bind(new DomainSocketAddress(bound.toString()))
                    .awaitUninterruptibly();
            if (!f.isSuccess()) {
                throw new IOException("cannot bind xenstored's socket " + abs, f.cause());
            }
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, abs, StandardCopyOption.ATOMIC_MOVE);
            return new SocketServer(f.channel(), clients, abs);
        } finally {
            Files.deleteIfExists(bound);
            Files.deleteIfExists(dir);
        }
    }

    public Path socket() {
        return socket;
    }

    /** Stops listening, closes every client and removes the socket file. */
    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        clients.close().awaitUninterruptibly();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // The directory is going away with the host.
        }
    }
}
