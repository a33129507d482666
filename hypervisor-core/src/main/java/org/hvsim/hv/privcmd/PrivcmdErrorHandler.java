package org.hvsim.hv.privcmd;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection: whatever went wrong on it (a frame too long or not a
 * message, a protocol violation, a host fault) ends here; the connection is closed, the reason
 * counted and logged (rate-limited), and nothing reaches other connections.
 * Threads: the channel's event loop.
 */
final class PrivcmdErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PrivcmdErrorHandler.class);

    private final PrivcmdCounters counters;
    private final RateLimitedLog log;

    PrivcmdErrorHandler(PrivcmdCounters counters, RateLimitedLog log) {
        this.counters = counters;
        this.log = log;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ctx.channel().isOpen()) {
            return; // already closed for an earlier reason
        }
        CloseReason reason = reasonFor(cause);
        if (reason != null) {
            counters.countClosed(reason); // counted before the peer can see the close
        }
        ctx.close();
        if (reason == null) {
            LOG.debug("privcmd connection {} failed", ctx.channel(), cause);
        } else if (reason == CloseReason.HOST_FAULT) {
            log.error("privcmd: closing connection {}: hypervisor fault", ctx.channel(), cause);
        } else {
            log.warn("privcmd: closing connection {}: {}: {}", ctx.channel(), reason, cause.getMessage());
        }
    }

    /** The reason for a failure, or null for an I/O error: the peer went away, nobody is at fault. */
    static CloseReason reasonFor(Throwable cause) {
        return switch (cause) {
            case PrivcmdProtocolException protocol -> protocol.reason();
            case TooLongFrameException oversized -> CloseReason.OVERSIZED_FRAME;
            case DecoderException malformed -> CloseReason.MALFORMED_FRAME;
            case IOException io -> null;
            default -> CloseReason.HOST_FAULT;
        };
    }
}
