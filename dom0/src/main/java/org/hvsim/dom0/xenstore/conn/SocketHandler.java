package org.hvsim.dom0.xenstore.conn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.dom0.xenstore.core.XenstoredCore;
import org.hvsim.dom0.xenstore.wire.XsFrameAssembler;
import org.hvsim.dom0.xenstore.wire.XsFrameException;
import org.hvsim.dom0.xenstore.wire.XsMessage;

/**
 * One socket client's inbound side: bytes go through the frame assembler (a header announcing more than
 * 4096 payload bytes closes the connection, as in C xenstored) and whole messages to the core. Input is
 * only processed while the channel is writable, so a client that does not read its replies makes
 * xenstored stop reading it rather than queue without bound. Threads: the channel's event loop, which
 * is xenstored's dispatch thread.
 */
final class SocketHandler extends ChannelInboundHandlerAdapter {
    private final XenstoredCore core;
    private final RateLimitedLog log;
    private final XsFrameAssembler assembler = new XsFrameAssembler();
    private final byte[] chunk = new byte[4096];
    private SocketConnection conn;
    private ByteBuf backlog;

    SocketHandler(XenstoredCore core, RateLimitedLog log) {
        this.core = core;
        this.log = log;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        conn = new SocketConnection(core.domains().dom0(), ctx.channel(), log);
        backlog = ctx.alloc().buffer();
        core.register(conn);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        try {
            backlog.writeBytes(b);
        } finally {
            b.release();
        }
        drain(ctx);
    }

    /** Processes buffered input while the client keeps reading its replies. */
    private void drain(ChannelHandlerContext ctx) {
        conn.batching(true);
        try {
            while (backlog.isReadable() && ctx.channel().isWritable() && ctx.channel().isActive()) {
                int n = Math.min(Math.min(backlog.readableBytes(), assembler.needed()), chunk.length);
                backlog.readBytes(chunk, 0, n);
                assembler.feed(chunk, 0, n);
                XsMessage m = assembler.take();
                if (m != null) {
                    core.process(conn, m);
                }
            }
        } catch (XsFrameException e) {
            log.warn("xenstored socket client {}: {}; closing", ctx.channel().remoteAddress(), e.getMessage());
            backlog.clear();
            ctx.close();
        } finally {
            conn.batching(false);
            backlog.discardSomeReadBytes();
            ctx.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (writable) {
            drain(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (conn != null) {
            core.unregister(conn);
        }
        if (backlog != null) {
            backlog.release();
            backlog = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("xenstored socket client {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
