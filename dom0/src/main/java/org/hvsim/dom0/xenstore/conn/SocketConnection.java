package org.hvsim.dom0.xenstore.conn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.hvsim.dom0.xenstore.core.Connection;
import org.hvsim.dom0.xenstore.core.Domain;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.dom0.xenstore.wire.XsMessage;

/**
 * A dom0 tool on xenstored's Unix socket: privileged, relative paths under {@code /local/domain/0}.
 * Replies to the requests of one read are written and flushed together. Output is bounded: the socket
 * stops being read while netty's outbound buffer is over its high-water mark, and watch events are
 * dropped while more than {@value #MAX_PENDING_EVENT_BYTES} bytes wait beyond the low-water mark.
 * Threads: the dispatch thread, which is also this channel's event loop.
 */
final class SocketConnection extends Connection {
    static final long MAX_PENDING_EVENT_BYTES = 16L << 20;

    private final Channel channel;
    private final RateLimitedLog log;
    private boolean batching;

    SocketConnection(Domain dom0, Channel channel, RateLimitedLog log) {
        super(dom0);
        this.channel = channel;
        this.log = log;
    }

    /** While batching, writes are flushed by the caller at the end of the batch. */
    void batching(boolean b) {
        this.batching = b;
    }

    @Override
    protected void sendReply(XsMessage reply) {
        write(reply);
    }

    @Override
    protected boolean sendEvent(XsMessage event) {
        if (!channel.isWritable() && channel.bytesBeforeWritable() > MAX_PENDING_EVENT_BYTES) {
            log.warn("xenstored socket client {} is not reading: watch event dropped", channel.remoteAddress());
            return false;
        }
        write(event);
        return true;
    }

    private void write(XsMessage m) {
        if (!channel.isActive()) {
            return;
        }
        ByteBuf b = channel.alloc().buffer(m.wireSize());
        b.writeBytes(m.header().toBytes()).writeBytes(m.payload());
        if (batching) {
            channel.write(b, channel.voidPromise());
        } else {
            channel.writeAndFlush(b, channel.voidPromise());
        }
    }

    @Override
    protected void closeTransport() {
        channel.close();
    }
}
