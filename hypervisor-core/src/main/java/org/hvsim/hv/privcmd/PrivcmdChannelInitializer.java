package org.hvsim.hv.privcmd;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * The pipeline of an accepted privcmd connection: framing, the handshake (replaced by the hypercall
 * relay once dom0 is authenticated), and the error handler last.
 * Threads: the event loop the connection is registered on.
 */
final class PrivcmdChannelInitializer extends ChannelInitializer<Channel> {
    private final ServerContext server;

    PrivcmdChannelInitializer(ServerContext server) {
        this.server = server;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        PrivcmdFraming.install(pipeline);
        pipeline.addLast("handshake", new HandshakeHandler(server));
        pipeline.addLast("errors", new PrivcmdErrorHandler(server.counters(), server.log()));
    }
}
