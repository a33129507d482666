package org.hvsim.dom0.xenstore.conn;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.hvsim.dom0.xenstore.wire.XsFrameAssembler;
import org.hvsim.dom0.xenstore.wire.XsFrameException;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * A minimal libxenstore-like client over xenstored's Unix socket (JDK channels, blocking): sends
 * requests, reads replies, keeps watch events that arrive in between. Not thread-safe.
 */
public final class XsSocketClient implements AutoCloseable {
    private final SocketChannel channel;
    private final XsFrameAssembler in = new XsFrameAssembler();
    private final ByteBuffer buf = ByteBuffer.allocate(8192);
    private final Deque<XsMessage> events = new ArrayDeque<>();
    private int reqId;

    private XsSocketClient(SocketChannel channel) {
        this.channel = channel;
        buf.flip();
    }

    public static XsSocketClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new XsSocketClient(ch);
    }

    /** Writes raw bytes. */
    public void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Sends a request built from NUL-terminated {@code args}; returns its req_id. */
    public int send(XsdSockmsgType type, int tx, String... args) throws IOException {
        return send(type, tx, XsPayload.cStrings(List.of(args)));
    }

    public int send(XsdSockmsgType type, int tx, byte[] payload) throws IOException {
        int id = ++reqId;
        sendRaw(XsMessage.of(type.number(), id, tx, payload).encode());
        return id;
    }

    /** The next message from xenstored (blocking); {@code null} if the connection closed. */
    public XsMessage receive() throws IOException {
        while (true) {
            XsMessage m = in.take();
            if (m != null) {
                return m;
            }
            if (!buf.hasRemaining()) {
                buf.clear();
                int n = channel.read(buf);
                buf.flip();
                if (n < 0) {
                    return null;
                }
            }
            byte[] chunk = new byte[Math.min(buf.remaining(), in.needed())];
            buf.get(chunk);
            try {
                in.feed(chunk, 0, chunk.length);
            } catch (XsFrameException e) {
                throw new IOException(e);
            }
        }
    }

    /** The reply to request {@code id}; watch events read on the way are kept. */
    public XsMessage replyTo(int id) throws IOException {
        while (true) {
            XsMessage m = receive();
            if (m == null) {
                throw new IOException("xenstored closed the connection");
            }
            if (m.type() == XsdSockmsgType.XS_WATCH_EVENT.number()) {
                events.add(m);
            } else if (m.header().reqId() == id) {
                return m;
            }
        }
    }

    public XsMessage call(XsdSockmsgType type, int tx, String... args) throws IOException {
        return replyTo(send(type, tx, args));
    }

    public XsMessage call(XsdSockmsgType type, int tx, byte[] payload) throws IOException {
        return replyTo(send(type, tx, payload));
    }

    /** WRITE {@code path|value} (the value without NUL). */
    public XsMessage write(int tx, String path, String value) throws IOException {
        return call(XsdSockmsgType.XS_WRITE, tx, (path + "\0" + value).getBytes());
    }

    /** Watch events received so far (removed from the client). */
    public Deque<XsMessage> events() {
        return events;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The text of a reply payload without its trailing NUL (if any). */
    public static String text(XsMessage m) {
        byte[] p = m.payload();
        int n = p.length > 0 && p[p.length - 1] == 0 ? p.length - 1 : p.length;
        return XsPayload.latin1(p, 0, n);
    }
}
