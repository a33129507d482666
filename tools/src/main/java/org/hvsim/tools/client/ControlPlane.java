package org.hvsim.tools.client;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.DomainServiceGrpc;
import org.hvsim.proto.control.EventChannelServiceGrpc;
import org.hvsim.proto.control.HostServiceGrpc;
import org.hvsim.proto.control.SchedulerServiceGrpc;
import org.hvsim.proto.control.TraceServiceGrpc;

/**
 * One connection to a host's dom0: the control-plane stubs over one channel. Closing it shuts the channel
 * (and whatever the channel owns, such as its event loop) down.
 *
 * <p>Threads: created and closed by one thread; the stubs are thread-safe, as gRPC stubs are.
 */
public final class ControlPlane implements AutoCloseable {
    private final ManagedChannel channel;
    private final String target;
    private final Runnable onClose;

    /**
     * @param target what the channel connects to, for messages (a socket path)
     * @param onClose run after the channel is shut down (releases what the channel used)
     */
    public ControlPlane(ManagedChannel channel, String target, Runnable onClose) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.target = Objects.requireNonNull(target, "target");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    public DomainServiceGrpc.DomainServiceBlockingStub domains() {
        return DomainServiceGrpc.newBlockingStub(channel);
    }

    public DomainServiceGrpc.DomainServiceStub domainsAsync() {
        return DomainServiceGrpc.newStub(channel);
    }

    public DomainServiceGrpc.DomainServiceFutureStub domainsFuture() {
        return DomainServiceGrpc.newFutureStub(channel);
    }

    public HostServiceGrpc.HostServiceBlockingStub host() {
        return HostServiceGrpc.newBlockingStub(channel);
    }

    public SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler() {
        return SchedulerServiceGrpc.newBlockingStub(channel);
    }

    public TraceServiceGrpc.TraceServiceBlockingStub traces() {
        return TraceServiceGrpc.newBlockingStub(channel);
    }

    public EventChannelServiceGrpc.EventChannelServiceBlockingStub eventChannels() {
        return EventChannelServiceGrpc.newBlockingStub(channel);
    }

    public EventChannelServiceGrpc.EventChannelServiceStub eventChannelsAsync() {
        return EventChannelServiceGrpc.newStub(channel);
    }

    public String target() {
        return target;
    }

    /** Makes the next call try to connect at once instead of after the channel's reconnect backoff. */
    public void resetConnectBackoff() {
        channel.resetConnectBackoff();
    }

    /** True if {@code e} means nobody answered on the socket, not that dom0 refused the call. */
    public static boolean isUnreachable(StatusRuntimeException e) {
        return e.getStatus().getCode() == Status.Code.UNAVAILABLE;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onClose.run();
        }
    }
}
