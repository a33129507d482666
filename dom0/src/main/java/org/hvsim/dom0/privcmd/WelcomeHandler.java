package org.hvsim.dom0.privcmd;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletableFuture;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.Welcome;

/**
 * Waits for the hypervisor's answer to our Hello: a Welcome, checked, after which the connection is
 * handed to a {@link HypervisorMessageAdapter}. Anything else closes the channel.
 * Threads: the channel's event loop.
 */
final class WelcomeHandler extends ChannelInboundHandlerAdapter {
    private final ClientSession session;

    WelcomeHandler(ClientSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!ctx.channel().isActive()) {
            return; // frames decoded after the channel was closed
        }
        PrivcmdMessage message = (PrivcmdMessage) msg;
        if (message.getBodyCase() != PrivcmdMessage.BodyCase.WELCOME) {
            throw new PrivcmdProtocolException("the hypervisor answered Hello with " + message.getBodyCase()
                    + ", not a Welcome");
        }
        Welcome welcome = message.getWelcome();
        int nrVcpus = welcome.getNrVcpus();
        if (nrVcpus < 1 || nrVcpus > PrivcmdLimits.MAX_DOM0_VCPUS) {
            throw new PrivcmdProtocolException("the Welcome gives dom0 " + Integer.toUnsignedString(nrVcpus)
                    + " vCPUs; it must have 1 to " + PrivcmdLimits.MAX_DOM0_VCPUS);
        }
        ctx.pipeline().replace(this, "hypervisor", new HypervisorMessageAdapter(session, nrVcpus));
        session.welcome().complete(welcome);
    }
}
