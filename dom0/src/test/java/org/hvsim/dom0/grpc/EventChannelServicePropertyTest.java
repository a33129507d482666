package org.hvsim.dom0.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.evtchn.EvtchnWatchHub;
import org.hvsim.dom0.toolstack.KernelResolver;
import org.hvsim.dom0.toolstack.StoreRings;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.dom0.xen.InProcessDom0;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelServiceGrpc;
import org.hvsim.proto.control.GetEventChannelStatusRequest;
import org.hvsim.proto.control.ListEventChannelsRequest;
import org.hvsim.proto.control.ListEventChannelsResponse;
import org.hvsim.proto.control.WatchEventChannelsRequest;
import org.hvsim.proto.control.WatchEventChannelsResponse;

/**
 * Whatever a client asks EventChannelService (any domain strings, ports, kinds, summary intervals),
 * it gets an answer or INVALID_ARGUMENT / NOT_FOUND: never UNKNOWN, never an exception escaping the
 * handler. The service runs in-process over a real toolstack and in-process hypervisor with dom0 alone.
 */
class EventChannelServicePropertyTest {
    private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);

    private static InProcessDom0 dom0;
    private static Xenconsoled consoles;
    private static Xenstored xenstored;
    private static Toolstack ts;
    private static EvtchnWatchHub hub;
    private static Server server;
    private static ManagedChannel channel;

    @BeforeContainer
    static void start() throws Exception {
        dom0 = InProcessDom0.start(1, 256);
        Path home = dom0.host().dir().resolve("home");
        Files.createDirectories(home.resolve("kernels"));
        consoles = new Xenconsoled(dom0.platform(), home.resolve("log/console"));
        StoreRings rings = new StoreRings(dom0.platform());
        xenstored = Xenstored.builder().introducer(rings).build();
        ts = new Toolstack(dom0.platform(), home, new KernelResolver(home.resolve("kernels")), consoles, xenstored, rings);
        ts.start(false);
        hub = new EvtchnWatchHub(ts.platform().evtchnInspector());
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new EventChannelServiceImpl(ts, ts.platform().evtchnInspector(), hub))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            channel.shutdownNow();
            server.shutdownNow();
            hub.close();
            ts.close();
            xenstored.close();
            consoles.close();
        } finally {
            dom0.close();
        }
    }

    private static Arbitrary<String> domains() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("0", "Domain-0", "00", "0000000000", "1", "32751", "32752", "4294967295",
                        "99999999999", "", "-1", "+0", "0x0", " 0", "Domain-0 ", "domain-0", "\u0000", "é")),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(30)),
                Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12)),
                Tuple.of(1, Arbitraries.strings().all().ofMinLength(100).ofMaxLength(2000)));
    }

    private static Arbitrary<Integer> ports() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 70)),
                Tuple.of(1, Arbitraries.of(-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1023, 1024, 4095, 4096)),
                Tuple.of(1, Arbitraries.integers()));
    }

    sealed interface Call {}
    record ListCall(String domain) implements Call {}
    record StatusCall(String domain, int port) implements Call {}
    record WatchCall(List<String> domains, List<Integer> ports, List<Integer> kinds, int summaryIntervalMs) implements Call {}

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<Integer> interval = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.of(-1, 1, 99, 100, 3_600_000, 3_600_001, Integer.MIN_VALUE, Integer.MAX_VALUE)),
                Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Integer> kind = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 6)),
                Tuple.of(1, Arbitraries.of(0, 7, -1, 1 << 20)));
        return Arbitraries.oneOf(
                domains().map(ListCall::new),
                Combinators.combine(domains(), ports()).as(StatusCall::new),
                Combinators.combine(domains().list().ofMaxSize(3), ports().list().ofMaxSize(3),
                        kind.list().ofMaxSize(3), interval).as(WatchCall::new));
    }

    @Property(tries = 300)
    void everyRequestIsAnsweredOrRefusedWithInvalidArgumentOrNotFound(@ForAll("calls") Call call) {
        switch (call) {
            case ListCall c -> unary(() -> {
                ListEventChannelsResponse r = EventChannelServiceGrpc.newBlockingStub(channel)
                        .listEventChannels(ListEventChannelsRequest.newBuilder().setDomain(c.domain).build());
                assertEquals(0, r.getDomid(), "only dom0 exists");
                assertTrue(r.getPortsCount() > 0, "dom0 has bound VIRQ_DOM_EXC at least");
            });
            case StatusCall c -> unary(() -> {
                EventChannel r = EventChannelServiceGrpc.newBlockingStub(channel).getEventChannelStatus(
                        GetEventChannelStatusRequest.newBuilder().setDomain(c.domain).setPort(c.port).build());
                assertEquals(c.port, r.getPort());
            });
            case WatchCall c -> watch(c);
        }
    }

    private static void unary(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            assertTrue(REFUSALS.contains(e.getStatus().getCode()), e.getStatus().toString());
            assertNotNull(e.getStatus().getDescription(), "a refusal says why");
        }
    }

    /**
     * Starts a watch; with direct executors on both ends the handler has run when the call returns, so
     * a refusal has arrived by then; a watch that was accepted is cancelled.
     */
    private static void watch(WatchCall c) {
        WatchEventChannelsRequest.Builder req = WatchEventChannelsRequest.newBuilder()
                .addAllDomains(c.domains).addAllPorts(c.ports).setSummaryIntervalMs(c.summaryIntervalMs);
        c.kinds.forEach(req::addKindsValue);
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<ClientCallStreamObserver<WatchEventChannelsRequest>> call = new AtomicReference<>();
        EventChannelServiceGrpc.newStub(channel).watchEventChannels(req.build(),
                new ClientResponseObserver<WatchEventChannelsRequest, WatchEventChannelsResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<WatchEventChannelsRequest> requestStream) {
                        call.set(requestStream);
                    }

                    @Override
                    public void onNext(WatchEventChannelsResponse value) {}

                    @Override
                    public void onError(Throwable t) {
                        error.set(t);
                    }

                    @Override
                    public void onCompleted() {
                        error.set(new AssertionError("a watch never completes by itself"));
                    }
                });
        Throwable t = error.get();
        if (t == null) {
            assertTrue(expectedValid(c), "accepted, but should have been refused: " + c);
            call.get().cancel("done", null);
            return;
        }
        Status status = Status.fromThrowable(t);
        assertTrue(REFUSALS.contains(status.getCode()), status.toString());
        assertTrue(!expectedValid(c), "refused, but valid: " + c + ": " + status);
    }

    /** Whether the request names only dom0, known kinds and a valid interval. */
    private static boolean expectedValid(WatchCall c) {
        boolean interval = c.summaryIntervalMs == 0 || c.summaryIntervalMs >= 100 && c.summaryIntervalMs <= 3_600_000;
        boolean kinds = c.kinds.stream().allMatch(k -> k >= 1 && k <= 6);
        boolean domains = c.domains.stream().allMatch(d -> d.equals("Domain-0")
                || !d.isEmpty() && d.length() <= 10 && d.chars().allMatch(Character::isDigit)
                && Long.parseLong(d) == 0);
        return interval && kinds && domains;
    }
}
