package org.hvsim.it;

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
 * A client of a host's privcmd socket that speaks whatever bytes a test gives it, to see what the
 * hypervisor does with a peer that is not its dom0. Frames are privcmd's: a 4-byte big-endian length, then
 * the message. Threads: one test thread.
 */
public final class RawPrivcmdClient implements AutoCloseable {
    private final SocketChannel channel;

    private RawPrivcmdClient(SocketChannel channel) {
        this.channel = channel;
    }

    public static RawPrivcmdClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new RawPrivcmdClient(channel);
    }

    /** {@code message} framed as the privcmd channel frames it. */
    public static byte[] frame(PrivcmdMessage message) {
        return frame(message.toByteArray());
    }

    /** {@code payload} behind a 4-byte big-endian length. */
    public static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    /**
     * Writes {@code bytes}; false if the hypervisor closed the connection before taking them all (it may
     * stop reading as soon as it has seen enough to refuse).
     */
    public boolean write(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            return true;
        } catch (IOException closedByPeer) {
            return false;
        }
    }

    /**
     * Waits until the hypervisor closes the connection (end of stream or a reset), discarding anything it
     * sends; false if it is still open after {@code timeoutMs}.
     */
    public boolean awaitClosed(long timeoutMs) throws IOException {
        channel.configureBlocking(false);
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                selector.select(left);
                selector.selectedKeys().clear();
                try {
                    int n;
                    while ((n = channel.read(sink.clear())) > 0) {
                        // Whatever it sends before closing is not what this client is after.
                    }
                    if (n < 0) {
                        return true;
                    }
                } catch (IOException reset) {
                    return true;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
