package org.hvsim.hv.privcmd;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.hvsim.proto.privcmd.PrivcmdMessage;

/**
 * A dom0 stand-in that speaks the privcmd wire format by hand over a plain JDK Unix socket, with
 * deadlines on every read. Threads: the test's.
 */
final class RawPrivcmdConnection implements AutoCloseable {
    private static final long READ_TIMEOUT_MS = 10_000;

    private final SocketChannel socket;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 20);

    private RawPrivcmdConnection(SocketChannel socket, Selector selector) {
        this.socket = socket;
        this.selector = selector;
    }

    static RawPrivcmdConnection open(Path path) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(path));
        socket.configureBlocking(false);
        Selector selector = Selector.open();
        socket.register(selector, SelectionKey.OP_READ);
        return new RawPrivcmdConnection(socket, selector);
    }

    /** Opens a connection and completes the handshake with {@code token}. */
    static RawPrivcmdConnection authenticated(Path path, String token, long pid) throws IOException {
        RawPrivcmdConnection connection = open(path);
        connection.send(PrivcmdWire.frame(PrivcmdWire.hello(token, pid)));
        PrivcmdMessage welcome = connection.read();
        if (!welcome.hasWelcome()) {
            throw new AssertionError("expected a Welcome, got " + welcome);
        }
        return connection;
    }

    void send(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            socket.write(out);
        }
    }

    /** The next message; fails if none arrives in time or the server closes the connection. */
    PrivcmdMessage read() throws IOException {
        long deadline = System.nanoTime() + READ_TIMEOUT_MS * 1_000_000;
        while (true) {
            PrivcmdMessage message = takeFrame();
            if (message != null) {
                return message;
            }
            if (fill(deadline) < 0) {
                throw new AssertionError("the server closed the connection");
            }
        }
    }

    /** Whether the server closes the connection (end of stream) before the deadline. */
    boolean closedByServer() throws IOException {
        long deadline = System.nanoTime() + READ_TIMEOUT_MS * 1_000_000;
        while (true) {
            try {
                if (fill(deadline) < 0) {
                    return true;
                }
            } catch (IOException reset) {
                return true;
            }
            in.clear(); // anything the server sent before closing does not matter here
        }
    }

    private PrivcmdMessage takeFrame() throws InvalidProtocolBufferException {
        in.flip();
        try {
            if (in.remaining() < 4) {
                return null;
            }
            int length = in.getInt(in.position());
            if (in.remaining() < 4 + length) {
                return null;
            }
            byte[] body = new byte[length];
            in.position(in.position() + 4);
            in.get(body);
            return PrivcmdMessage.parseFrom(body);
        } finally {
            in.compact();
        }
    }

    private int fill(long deadlineNs) throws IOException {
        while (true) {
            int n = socket.read(in);
            if (n != 0) {
                return n;
            }
            long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                throw new AssertionError("no data from the server within " + READ_TIMEOUT_MS + " ms");
            }
            selector.select(leftMs);
            selector.selectedKeys().clear();
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        socket.close();
    }
}
