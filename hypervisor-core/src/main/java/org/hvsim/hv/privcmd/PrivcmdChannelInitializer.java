package org.hvsim.hv.privcmd;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;

/**
 * The pipeline of an accepted privcmd connection: framing, the handshake (replaced by the hypercall
 * relay once dom0 is authenticated), and the error handler last.
 * Threads: the event loop the connection is registered on.
 */
final class PrivcmdChannelInitializer extends ChannelInitializer<Channel> {
    private final ServerContext server;
    private final ChannelGroup connections;

    /** @param connections where every accepted connection is kept until it closes, to close them all */
    PrivcmdChannelInitializer(ServerContext server, ChannelGroup connections) {
        this.server = server;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        PrivcmdFraming.install(pipeline);
        pipeline.addLast("handshake", new HandshakeHandler(server));
        pipeline.addLast("errors", new PrivcmdErrorHandler(server.counters(), server.log()));
    }
}
