package org.hvsim.hv.privcmd;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.privcmd.Hello;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.Welcome;

/**
 * The start of a connection: the first message must be a Hello with the right token, within the
 * Hello timeout, and no other dom0 session may be alive; then dom0 is sent its Welcome and this
 * handler hands the connection to a {@link HypercallRelay}. Anything else closes the connection.
 * Threads: the channel's event loop.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private final ServerContext server;
    private ScheduledFuture<?> helloTimeout;

    HandshakeHandler(ServerContext server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        helloTimeout = ctx.executor().schedule(
                () -> ctx.fireExceptionCaught(new PrivcmdProtocolException(CloseReason.HELLO_TIMEOUT,
                        "no Hello within " + server.helloTimeoutNs() / 1_000_000 + " ms")),
                server.helloTimeoutNs(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        helloTimeout.cancel(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!ctx.channel().isActive()) {
            return; // frames decoded after the connection was closed
        }
        PrivcmdMessage message = (PrivcmdMessage) msg;
        if (message.getBodyCase() != PrivcmdMessage.BodyCase.HELLO) {
            throw new PrivcmdProtocolException(CloseReason.NOT_HELLO,
                    "the first message is " + message.getBodyCase() + ", not a Hello");
        }
        Hello hello = message.getHello();
        if (!server.token().matches(hello.getToken())) {
            throw new PrivcmdProtocolException(CloseReason.BAD_TOKEN,
                    "Hello with a wrong token from pid " + hello.getPid());
        }
        if (!server.slot().tryClaim(ctx.channel())) {
            throw new PrivcmdProtocolException(CloseReason.SESSION_BUSY,
                    "another dom0 session is alive; refusing pid " + hello.getPid());
        }
        ctx.channel().closeFuture().addListener(closed -> {
            Dom0Session ended = server.slot().release(ctx.channel());
            if (ended != null) {
                server.listener().disconnected(ended.pid());
            }
        });
        Welcome welcome = WelcomeCheck.check(server.welcome().get());
        Dom0Session session = new Dom0Session(ctx.channel(), hello.getPid(), welcome.getNrVcpus(),
                new UpcallQueue(ctx.channel(), welcome.getNrVcpus()));
        ctx.writeAndFlush(PrivcmdMessage.newBuilder().setWelcome(welcome).build(), ctx.voidPromise());
        server.slot().establish(session);
        ctx.pipeline().replace(this, "hypercalls", new HypercallRelay(server, session));
        server.counters().countSession();
        server.listener().connected(session.pid());
    }
}
