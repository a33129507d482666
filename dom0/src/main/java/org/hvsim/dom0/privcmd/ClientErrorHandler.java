package org.hvsim.dom0.privcmd;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the channel: whatever went wrong closes it, and the reason becomes what every
 * failed call's {@link PrivcmdClosedException} says. Threads: the channel's event loop.
 */
final class ClientErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientErrorHandler.class);

    private final CloseCause closeCause;

    ClientErrorHandler(CloseCause closeCause) {
        this.closeCause = closeCause;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ctx.channel().isOpen()) {
            return; // already closed, for a reason recorded then
        }
        String why = describe(cause);
        closeCause.offer(why);
        ctx.close();
        LOG.warn("privcmd: closing the channel to the hypervisor: {}", why);
    }

    static String describe(Throwable cause) {
        return switch (cause) {
            case PrivcmdProtocolException protocol -> protocol.getMessage();
            case TooLongFrameException oversized ->
                    "the hypervisor sent a frame longer than " + PrivcmdLimits.MAX_FRAME_BYTES + " bytes";
            case DecoderException malformed ->
                    "the hypervisor sent a frame that is not a PrivcmdMessage: " + malformed.getMessage();
            default -> cause.toString();
        };
    }
}
