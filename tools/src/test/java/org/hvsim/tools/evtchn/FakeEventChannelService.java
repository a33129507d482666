package org.hvsim.tools.evtchn;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.hvsim.proto.control.EventChannelServiceGrpc;
import org.hvsim.proto.control.ListEventChannelsRequest;
import org.hvsim.proto.control.ListEventChannelsResponse;
import org.hvsim.proto.control.WatchEventChannelsRequest;
import org.hvsim.proto.control.WatchEventChannelsResponse;

/**
 * A test dom0's EventChannelService: canned port lists per domain (by id or name; NOT_FOUND
 * "Domain 'x' does not exist." otherwise, as dom0 answers), and watch streams driven by the test through
 * {@link #watch}, with every watch request recorded.
 *
 * <p>Threads: gRPC's in-process server calls (direct executor: the client's thread) and the test thread.
 */
public final class FakeEventChannelService extends EventChannelServiceGrpc.EventChannelServiceImplBase {
    private final Map<String, ListEventChannelsResponse> lists = new ConcurrentHashMap<>();
    /** Every watch request, in arrival order. */
    public final BlockingQueue<WatchEventChannelsRequest> watchRequests = new LinkedBlockingQueue<>();
    /** The open watch stream's response side, once a client started one. */
    public volatile ServerCallStreamObserver<WatchEventChannelsResponse> watch;
    /** Set when the client cancelled its watch. */
    public volatile boolean watchCancelled;
    /** What the next watch fails with at once, or null to open the stream. */
    public volatile Status watchFailure;

    /** Answers ListEventChannels for {@code list}'s domain, by its id and its name. */
    public void add(ListEventChannelsResponse list) {
        lists.put(Integer.toUnsignedString(list.getDomid()), list);
        lists.put(list.getName(), list);
    }

    private static io.grpc.StatusRuntimeException notFound(String qualifier) {
        return Status.NOT_FOUND.withDescription("Domain '" + qualifier + "' does not exist.").asRuntimeException();
    }

    @Override
    public void listEventChannels(ListEventChannelsRequest request,
            StreamObserver<ListEventChannelsResponse> response) {
        ListEventChannelsResponse list = lists.get(request.getDomain());
        if (list == null) {
            response.onError(notFound(request.getDomain()));
            return;
        }
        response.onNext(list);
        response.onCompleted();
    }

    @Override
    public void watchEventChannels(WatchEventChannelsRequest request,
            StreamObserver<WatchEventChannelsResponse> response) {
        watchRequests.add(request);
        if (watchFailure != null) {
            response.onError(watchFailure.asRuntimeException());
            return;
        }
        ServerCallStreamObserver<WatchEventChannelsResponse> stream =
                (ServerCallStreamObserver<WatchEventChannelsResponse>) response;
        stream.setOnCancelHandler(() -> watchCancelled = true);
        watch = stream;
    }
}
