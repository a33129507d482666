package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.EventChannelRate;
import org.hvsim.proto.control.EventChannelSummary;
import org.hvsim.proto.control.WatchEventChannelsRequest;
import org.hvsim.proto.control.WatchEventChannelsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** xl evtchn-watch against a fake dom0 whose watch stream the test drives; the harness's clock is UTC. */
class EvtchnWatchCommandTest {
    private static final long T0 = Instant.parse("2026-12-06T23:41:07.123456789Z").getEpochSecond() * 1_000_000_000L
            + 123_456_789L;

    private XlHarness xl;
    private ExecutorService executor;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(0).setName("Domain-0").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(3).setName("web").build());
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        xl.close();
    }

    private Future<XlHarness.Result> watch(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "evtchn-watch";
        System.arraycopy(args, 0, full, 1, args.length);
        return executor.submit(() -> xl.run(out, full));
    }

    /** Starts a watch and returns the request dom0 received, once the stream is open. */
    private WatchEventChannelsRequest started(Future<XlHarness.Result> run) throws Exception {
        WatchEventChannelsRequest request = xl.evtchn.watchRequests.poll(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no watch reached dom0; xl ended with " + (run.isDone() ? run.get() : null));
        }
        Await.until("the watch stream to open", () -> xl.evtchn.watch != null && xl.interrupts.registered());
        return request;
    }

    private static XlHarness.Result ended(Future<XlHarness.Result> run) throws Exception {
        return run.get(10, TimeUnit.SECONDS);
    }

    private static EventChannelEvent send(long nanos, int domid, int port, int remoteDomid, int remotePort,
            String label) {
        return EventChannelEvent.newBuilder().setTimestampUnixNanos(nanos)
                .setKind(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND).setDomid(domid).setPort(port)
                .setRemoteDomid(remoteDomid).setRemotePort(remotePort).setLabel(label).build();
    }

    private static EventChannelEvent deliver(long nanos, int domid, int port, String label) {
        return EventChannelEvent.newBuilder().setTimestampUnixNanos(nanos)
                .setKind(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER).setDomid(domid).setPort(port)
                .setLabel(label).build();
    }

    @Test
    void oneLinePerEventThenCtrlCCancelsTheCallAndExits130() throws Exception {
        Future<XlHarness.Result> run = watch();
        WatchEventChannelsRequest request = started(run);
        assertEquals(WatchEventChannelsRequest.getDefaultInstance(), request, "no filter: every domain, port, kind");

        xl.evtchn.watch.onNext(WatchEventChannelsResponse.newBuilder()
                .addEvents(send(T0, 3, 1, 0, 12, "xenstore"))
                .addEvents(deliver(T0 + 4_000, 0, 12, "xenstore"))
                .build());
        Await.until("the events to be printed", () -> out.toString().contains("deliver"));
        xl.interrupts.fire();
        XlHarness.Result r = ended(run);

        assertEquals(EvtchnWatchCommand.EXIT_INTERRUPTED, r.exit(), r.err());
        assertEquals("""
                23:41:07.123456 send    d3:1      vcpu 0  -> d0:12  xenstore
                23:41:07.123460 deliver d0:12     vcpu 0  xenstore
                """, r.out());
        assertEquals("", r.err(), "no stack trace, no message");
        Await.until("dom0 to see the call cancelled", () -> xl.evtchn.watchCancelled);
        assertTrue(!xl.interrupts.registered(), "the interrupt action is unregistered once xl is done");
    }

    @Test
    void theStreamsEndEndsXlWith0() throws Exception {
        Future<XlHarness.Result> run = watch();
        started(run);

        xl.evtchn.watch.onNext(WatchEventChannelsResponse.newBuilder().addEvents(deliver(T0, 3, 2, "console")).build());
        xl.evtchn.watch.onCompleted();
        XlHarness.Result r = ended(run);

        assertEquals(0, r.exit(), r.err());
        assertEquals("23:41:07.123456 deliver d3:2      vcpu 0  console\n", r.out());
    }

    @Test
    void droppedEventsAreReportedBeforeTheEventsThatFollowedThem() throws Exception {
        Future<XlHarness.Result> run = watch();
        started(run);

        xl.evtchn.watch.onNext(WatchEventChannelsResponse.newBuilder().setDropped(17)
                .addEvents(deliver(T0, 3, 2, "console")).build());
        xl.evtchn.watch.onNext(WatchEventChannelsResponse.newBuilder().setDropped(1).build());
        xl.evtchn.watch.onNext(WatchEventChannelsResponse.newBuilder().setDropped(0)
                .addEvents(deliver(T0, 3, 2, "console")).build());
        xl.evtchn.watch.onCompleted();

        assertEquals("""
                -- 17 events lost: the watch did not keep up --
                23:41:07.123456 deliver d3:2      vcpu 0  console
                -- 1 event lost: the watch did not keep up --
                23:41:07.123456 deliver d3:2      vcpu 0  console
                """, ended(run).out());
    }

    @Test
    void domainsPortsAndKindsEndUpInTheRequest() throws Exception {
        Future<XlHarness.Result> run = watch("-p", "3", "--port", "4,5", "-k", "send,deliver", "--kind", "MASKED",
                "web", "0");
        WatchEventChannelsRequest request = started(run);
        xl.evtchn.watch.onCompleted();
        assertEquals(0, ended(run).exit());

        assertEquals(List.of("3", "0"), request.getDomainsList(), "names resolved to ids, as xl does");
        assertEquals(List.of(3, 4, 5), request.getPortsList());
        assertEquals(List.of(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_SEND,
                EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER,
                EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_MASKED), request.getKindsList());
        assertEquals(0, request.getSummaryIntervalMs());
    }

    @Test
    void summaryIntervals() throws Exception {
        assertEquals(1000, summaryRequest("-s").getSummaryIntervalMs());
        WatchEventChannelsRequest bareNumber = summaryRequest("-s", "3");
        assertEquals(1000, bareNumber.getSummaryIntervalMs());
        assertEquals(List.of("3"), bareNumber.getDomainsList(), "a bare number after -s is a domain");
        assertEquals(500, summaryRequest("-s", "500ms", "web").getSummaryIntervalMs());
        assertEquals(2000, summaryRequest("--summary=2s").getSummaryIntervalMs());
        assertEquals(1500, summaryRequest("-s1.5s").getSummaryIntervalMs());
        assertEquals(60_000, summaryRequest("--summary", "1m").getSummaryIntervalMs());
    }

    private WatchEventChannelsRequest summaryRequest(String... args) throws Exception {
        xl.evtchn.watch = null;
        Future<XlHarness.Result> run = watch(args);
        WatchEventChannelsRequest request = started(run);
        xl.evtchn.watch.onCompleted();
        XlHarness.Result r = ended(run);
        assertEquals(0, r.exit(), r.err());
        return request;
    }

    @Test
    void aSummaryIsATablePerInterval() throws Exception {
        Future<XlHarness.Result> run = watch("-s");
        started(run);

        xl.evtchn.watch.onNext(WatchEventChannelsResponse.newBuilder().setSummary(EventChannelSummary.newBuilder()
                .setIntervalNanos(1_000_000_000L)
                .addRates(EventChannelRate.newBuilder().setDomid(3).setPort(2).setLabel("console")
                        .setSendsPerSecond(1).setPendingEdgesPerSecond(1).setUpcallsPerSecond(1))
                .addRates(EventChannelRate.newBuilder().setDomid(3).setPort(1).setLabel("xenstore")
                        .setSendsPerSecond(40).setPendingEdgesPerSecond(38).setUpcallsPerSecond(36)
                        .setMaskedDropsPerSecond(2)))
                .build());
        xl.evtchn.watch.onNext(WatchEventChannelsResponse.newBuilder().setSummary(EventChannelSummary.newBuilder()
                .setIntervalNanos(1_000_000_000L)).build());
        xl.evtchn.watch.onCompleted();

        assertEquals("""
                10:00:00.000000  rates over 1.000 s
                DOMAIN  PORT  LABEL     SENDS/S  EDGES/S  UPCALLS/S  MASKED/S
                     3     1  xenstore     40.0     38.0       36.0       2.0
                     3     2  console       1.0      1.0        1.0       0.0

                10:00:00.000000  rates over 1.000 s
                (no event channel activity)

                """, ended(run).out());
    }

    @Test
    void badFiltersAreUsageErrors() {
        XlHarness.Result kind = xl.run("evtchn-watch", "-k", "send,frob");
        assertEquals(2, kind.exit());
        assertTrue(kind.err().contains("'frob' is not an event channel activity kind (one of bind, close, send, "
                + "deliver, masked, unmask)"), kind.err());

        XlHarness.Result port = xl.run("evtchn-watch", "-p", "-1");
        assertEquals(2, port.exit());
        assertTrue(port.err().contains("'-1' is not a port number"), port.err());

        XlHarness.Result interval = xl.run("evtchn-watch", "-s", "5h");
        assertEquals(2, interval.exit());
        assertTrue(interval.err().contains("the unit must be ms, s or m"), interval.err());

        assertTrue(xl.evtchn.watchRequests.isEmpty(), "no watch was started");
    }

    @Test
    void anUnknownDomainNameIsXlsError() {
        XlHarness.Result r = xl.run("evtchn-watch", "nosuch");

        assertEquals(1, r.exit());
        assertEquals("nosuch is an invalid domain identifier (rc=-6)\n", r.err());
        assertTrue(xl.evtchn.watchRequests.isEmpty());
    }

    @Test
    void dom0RefusingTheWatchIsItsMessage() {
        xl.evtchn.watchFailure = Status.NOT_FOUND.withDescription("Domain '9' does not exist.");

        XlHarness.Result r = xl.run("evtchn-watch", "9");

        assertEquals(1, r.exit());
        assertEquals("Domain '9' does not exist.\n", r.err());
    }

    @Test
    void listedInXlHelp() {
        String help = xl.run("help").out();
        assertTrue(help.contains(" evtchn-watch        Watch event channel activity as it happens (hvsim)\n"), help);
    }
}
