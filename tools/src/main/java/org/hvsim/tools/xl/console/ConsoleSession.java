package org.hvsim.tools.xl.console;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.proto.control.ConsoleInput;
import org.hvsim.proto.control.ConsoleOutput;
import org.hvsim.proto.control.DomainServiceGrpc.DomainServiceStub;

/**
 * One attachment to a domain's console over dom0's {@code Console} stream: what the guest writes goes to
 * {@code out} as it arrives; what is read from {@code in} goes to the guest, in the chunks it was read in,
 * no faster than the stream accepts it. A read that returns the escape byte alone detaches, as xenconsole
 * does (so the byte can still reach the guest inside pasted text). End of input half-closes the stream
 * and output keeps coming until dom0 ends the stream, which it does when the domain is destroyed.
 *
 * <p>Threads: {@link #attach} and {@link #run} on the caller's thread; stream callbacks on one
 * {@code xl-console-output} thread; stdin is read on a daemon {@code xl-console-input} thread (a read
 * from a terminal cannot be interrupted; the process exits around it).
 */
public final class ConsoleSession implements AutoCloseable {
    /** How long dom0 has to confirm the attachment. */
    public static final long ATTACH_TIMEOUT_SECONDS = 30;
    private static final int INPUT_CHUNK = 512;

    /** How a session ended. */
    public enum Ending {
        /** The escape character was typed. */
        DETACHED,
        /** dom0 ended the stream: the domain is gone. */
        STREAM_ENDED
    }

    private final DomainServiceStub stub;
    private final InputStream in;
    private final OutputStream out;
    private final int escape;
    private final ExecutorService callbacks;
    private final CompletableFuture<Long> attached = new CompletableFuture<>();
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyOrEnded = lock.newCondition();
    private ClientCallStreamObserver<ConsoleInput> requests;
    private boolean requestsClosed;
    private volatile boolean streamDone;

    /** @param escape the byte that detaches (see {@link EscapeCharacter}) */
    public ConsoleSession(DomainServiceStub stub, InputStream in, OutputStream out, int escape) {
        this.callbacks = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("xl-console-output")
                .factory());
        this.stub = Objects.requireNonNull(stub, "stub").withExecutor(callbacks);
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.escape = escape;
    }

    /**
     * Opens the stream for {@code domain} and waits until dom0 confirms it.
     *
     * @return the domain id dom0 attached to
     * @throws StatusRuntimeException dom0's refusal (NOT_FOUND for an unknown domain), or DEADLINE_EXCEEDED
     *         if it did not answer within {@value #ATTACH_TIMEOUT_SECONDS} s
     */
    public long attach(String domain) throws InterruptedException {
        stub.console(new Responses());
        send(ConsoleInput.newBuilder().setDomain(domain).build());
        try {
            return attached.get(ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            cancel("no attach confirmation");
            throw Status.DEADLINE_EXCEEDED.withDescription("dom0 did not attach the console within "
                    + ATTACH_TIMEOUT_SECONDS + " s").asRuntimeException();
        } catch (ExecutionException e) {
            throw asStatus(e.getCause());
        }
    }

    /**
     * Forwards input and output until the escape character or the end of the stream.
     *
     * @throws StatusRuntimeException if the stream failed rather than ended
     */
    public Ending run() throws InterruptedException {
        Thread.ofPlatform().daemon().name("xl-console-input").start(this::pumpInput);
        try {
            return ending.get();
        } catch (ExecutionException e) {
            throw asStatus(e.getCause());
        }
    }

    @Override
    public void close() {
        cancel("xl console closed");
        callbacks.shutdown();
    }

    private void pumpInput() {
        byte[] buffer = new byte[INPUT_CHUNK];
        while (!ending.isDone()) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                halfClose();
                return;
            }
            if (n == 1 && (buffer[0] & 0xff) == escape) {
                halfClose();
                ending.complete(Ending.DETACHED);
                return;
            }
            if (n > 0 && !awaitReady()) {
                return;
            }
            if (n > 0) {
                send(ConsoleInput.newBuilder().setData(ByteString.copyFrom(buffer, 0, n)).build());
            }
        }
    }

    /** Waits until the stream takes more input; false if the session ended meanwhile. */
    private boolean awaitReady() {
        lock.lock();
        try {
            while (!ending.isDone() && !requestsClosed && !requests.isReady()) {
                readyOrEnded.await();
            }
            return !ending.isDone() && !requestsClosed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void send(ConsoleInput input) {
        lock.lock();
        try {
            if (!requestsClosed) {
                requests.onNext(input);
            }
        } finally {
            lock.unlock();
        }
    }

    private void halfClose() {
        lock.lock();
        try {
            if (!requestsClosed) {
                requestsClosed = true;
                requests.onCompleted();
            }
        } finally {
            lock.unlock();
        }
    }

    private void cancel(String why) {
        lock.lock();
        try {
            if (requests != null && !streamDone) {
                requestsClosed = true;
                requests.cancel(why, null);
            }
            readyOrEnded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            readyOrEnded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static StatusRuntimeException asStatus(Throwable t) {
        if (t instanceof StatusRuntimeException e) {
            return e;
        }
        return Status.fromThrowable(t).asRuntimeException();
    }

    /** dom0's side of the stream; runs on the callback thread. */
    private final class Responses implements ClientResponseObserver<ConsoleInput, ConsoleOutput> {
        @Override
        public void beforeStart(ClientCallStreamObserver<ConsoleInput> requestStream) {
            requests = requestStream;
            requestStream.setOnReadyHandler(ConsoleSession.this::signal);
        }

        @Override
        public void onNext(ConsoleOutput output) {
            if (output.getAttached()) {
                attached.complete(Integer.toUnsignedLong(output.getDomid()));
            }
            if (!output.getData().isEmpty()) {
                try {
                    output.getData().writeTo(out);
                    out.flush();
                } catch (IOException e) {
                    ending.completeExceptionally(Status.UNAVAILABLE.withDescription("cannot write console output: "
                            + e.getMessage()).asRuntimeException());
                    cancel("stdout closed");
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            streamDone = true;
            attached.completeExceptionally(t);
            ending.completeExceptionally(t);
            signal();
        }

        @Override
        public void onCompleted() {
            streamDone = true;
            attached.completeExceptionally(Status.UNAVAILABLE
                    .withDescription("dom0 ended the console stream before attaching").asRuntimeException());
            ending.complete(Ending.STREAM_ENDED);
            signal();
        }
    }
}
