package org.hvsim.dom0.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.hvsim.dom0.console.ConsoleSubscriber;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.toolstack.ConfigException;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.proto.control.ConsoleInput;
import org.hvsim.proto.control.ConsoleOutput;

/**
 * One {@code xl console} session: the first message names the domain; output streams to the client
 * as the guest writes it; input goes to the guest's console ring. A client that does not keep up gets
 * at most {@link #MAX_BACKLOG} bytes queued, the oldest dropped beyond that (with a note), so it cannot
 * grow dom0's memory. Threads: gRPC's executor (input) and the upcall thread (output).
 */
final class ConsoleStream implements StreamObserver<ConsoleInput>, ConsoleSubscriber {
    static final int MAX_BACKLOG = 64 * 1024;

    private final Toolstack ts;
    private final Xenconsoled consoles;
    private final ServerCallStreamObserver<ConsoleOutput> out;
    private final ByteArrayOutputStream backlog = new ByteArrayOutputStream();
    private long dropped;
    private int domid = -1;
    private boolean done;

    ConsoleStream(Toolstack ts, Xenconsoled consoles, ServerCallStreamObserver<ConsoleOutput> out) {
        this.ts = ts;
        this.consoles = consoles;
        this.out = out;
        out.setOnReadyHandler(this::flush);
        out.setOnCancelHandler(this::detach);
    }

    @Override
    public void onNext(ConsoleInput in) {
        if (in.hasDomain()) {
            attach(in.getDomain());
        } else if (domid >= 0) {
            byte[] data = in.getData().toByteArray();
            for (int off = 0; off < data.length; ) {
                int n = consoles.input(domid, java.util.Arrays.copyOfRange(data, off, data.length));
                if (n == 0) {
                    break;
                }
                off += n;
            }
        }
    }

    private void attach(String domain) {
        if (domid >= 0) {
            return;
        }
        try {
            domid = ts.resolve(domain);
        } catch (ConfigException e) {
            finish(StatusMapper.toStatus(e));
            return;
        }
        synchronized (this) {
            out.onNext(ConsoleOutput.newBuilder().setAttached(true).setDomid(domid).build());
        }
        if (!consoles.subscribe(domid, this)) {
            finish(Status.NOT_FOUND.withDescription("domain " + domid + " has no console").asRuntimeException());
        }
    }

    @Override
    public synchronized void output(byte[] bytes) {
        if (done) {
            return;
        }
        backlog.writeBytes(bytes);
        if (backlog.size() > MAX_BACKLOG) {
            byte[] all = backlog.toByteArray();
            dropped += all.length - MAX_BACKLOG;
            backlog.reset();
            backlog.write(all, all.length - MAX_BACKLOG, MAX_BACKLOG);
        }
        flush();
    }

    private synchronized void flush() {
        if (done || backlog.size() == 0 || !out.isReady()) {
            return;
        }
        if (dropped > 0) {
            out.onNext(ConsoleOutput.newBuilder().setData(ByteString.copyFrom(
                    "\r\n[xenconsoled: " + dropped + " bytes dropped: this client did not keep up]\r\n", StandardCharsets.UTF_8)).build());
            dropped = 0;
        }
        out.onNext(ConsoleOutput.newBuilder().setData(ByteString.copyFrom(backlog.toByteArray())).build());
        backlog.reset();
    }

    @Override
    public synchronized void ended() {
        flushAll();
        finish(null);
    }

    private void flushAll() {
        if (!done && backlog.size() > 0) {
            out.onNext(ConsoleOutput.newBuilder().setData(ByteString.copyFrom(backlog.toByteArray())).build());
            backlog.reset();
        }
    }

    private synchronized void finish(RuntimeException error) {
        if (done) {
            return;
        }
        done = true;
        if (error == null) {
            out.onCompleted();
        } else {
            out.onError(error);
        }
    }

    private void detach() {
        if (domid >= 0) {
            consoles.unsubscribe(domid, this);
        }
        synchronized (this) {
            done = true;
        }
    }

    @Override
    public void onError(Throwable t) {
        detach();
    }

    /** The client has no more input (xl's stdin ended); its output keeps flowing until the domain goes. */
    @Override
    public void onCompleted() {
        // Nothing to do: input simply stops.
    }
}
