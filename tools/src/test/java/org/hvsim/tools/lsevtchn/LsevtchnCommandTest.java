package org.hvsim.tools.lsevtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.EventChannelCounters;
import org.hvsim.proto.control.EventChannelState;
import org.hvsim.proto.control.ListEventChannelsResponse;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.evtchn.FakeEventChannelService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** lsevtchn against an in-process dom0 that serves a guest's and dom0's ports. */
class LsevtchnCommandTest {
    private final FakeEventChannelService service = new FakeEventChannelService();
    private Server server;
    private final String name = "lsevtchn-test-" + System.nanoTime();

    record Result(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
        service.add(ListEventChannelsResponse.newBuilder().setDomid(0).setName("Domain-0").setMaxPort(1023)
                .addPorts(port(0, 5, EventChannelState.EVENT_CHANNEL_STATE_VIRQ).setVirq(0).setXenAttached(false)
                        .setLabel("VIRQ_TIMER"))
                .addPorts(port(0, 12, EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN).setRemoteDomid(1)
                        .setRemotePort(1).setPending(true).setLabel("xenstore")
                        .setCounters(EventChannelCounters.newBuilder().setSends(40).setPendingEdges(38)
                                .setUpcalls(38).setCoalesced(2)))
                .build());
        service.add(ListEventChannelsResponse.newBuilder().setDomid(1).setName("web").setMaxPort(1023)
                .addPorts(port(1, 1, EventChannelState.EVENT_CHANNEL_STATE_INTERDOMAIN).setRemoteDomid(0)
                        .setRemotePort(12).setLabel("xenstore"))
                .addPorts(port(1, 2, EventChannelState.EVENT_CHANNEL_STATE_UNBOUND).setRemoteDomid(0)
                        .setMasked(true).setLabel("console")
                        .setCounters(EventChannelCounters.newBuilder().setPendingEdges(3).setMaskedDrops(3)))
                .addPorts(port(1, 3, EventChannelState.EVENT_CHANNEL_STATE_CLOSED))
                .addPorts(port(1, 4, EventChannelState.EVENT_CHANNEL_STATE_IPI).setVcpu(1).setLabel("IPI"))
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static EventChannel.Builder port(int domid, int port, EventChannelState state) {
        return EventChannel.newBuilder().setDomid(domid).setPort(port).setState(state);
    }

    private ControlPlaneConnector connector() {
        return () -> {
            ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
            return new ControlPlane(channel, "/fake/control.sock", () -> { });
        };
    }

    private static Result run(ControlPlaneConnector connector, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LsevtchnMain.run(new PrintWriter(out), new PrintWriter(err), connector, args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void withoutArgumentsDomain0AsXen() {
        Result r = run(connector());

        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                   5: VCPU 0: Virtual IRQ 0
                  12: VCPU 0: Interdomain (Connected) - Remote Domain 1, Port 1
                """, r.out());
        assertEquals("", r.err());
    }

    @Test
    void aDomainByIdOrNameClosedPortsLeftOut() {
        String expected = """
                   1: VCPU 0: Interdomain (Connected) - Remote Domain 0, Port 12
                   2: VCPU 0: Interdomain (Waiting connection) - Remote Domain 0
                   4: VCPU 1: IPI
                """;
        assertEquals(expected, run(connector(), "1").out());
        assertEquals(expected, run(connector(), "web").out());
    }

    @Test
    void verboseAddsBitsCountersAndLabelsOnTheSameLine() {
        Result r = run(connector(), "-v", "web");

        assertEquals(0, r.exit(), r.err());
        assertEquals("   1: VCPU 0: Interdomain (Connected) - Remote Domain 0, Port 12  pending=0 masked=0 "
                + "xen-attached=0 sends=0 edges=0 upcalls=0 masked-drops=0 coalesced=0 label=\"xenstore\"\n"
                + "   2: VCPU 0: Interdomain (Waiting connection) - Remote Domain 0  pending=0 masked=1 "
                + "xen-attached=0 sends=0 edges=3 upcalls=0 masked-drops=3 coalesced=0 label=\"console\"\n"
                + "   4: VCPU 1: IPI  pending=0 masked=0 xen-attached=0 sends=0 edges=0 upcalls=0 masked-drops=0 "
                + "coalesced=0 label=\"IPI\"\n", r.out());
        assertEquals(r.out(), run(connector(), "--verbose", "1").out());
    }

    @Test
    void anUnknownDomainIsOneLineOnStderrAndExit1() {
        Result r = run(connector(), "7");

        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("lsevtchn: Domain '7' does not exist.\n", r.err());
    }

    @Test
    void noHostIsXlsMessage() {
        Path socket = Path.of("/nowhere/control.sock");
        Result r = run(() -> {
            throw HostNotRunningException.noSocket(socket);
        });

        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("lsevtchn: no hvsim host is running: /nowhere/control.sock does not exist; "
                + "start one with tools/bin/hvsim start\n", r.err());
    }

    @Test
    void aHostThatDoesNotAnswer() throws Exception {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);

        Result r = run(connector());

        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(true, r.err().startsWith("lsevtchn: no hvsim host answers on /fake/control.sock ("), r.err());
        assertEquals(true, r.err().endsWith("); start one with tools/bin/hvsim start\n"), r.err());
    }

    @Test
    void aBadOptionIsAUsageError() {
        Result r = run(connector(), "-x");

        assertEquals(2, r.exit());
        assertEquals(true, r.err().contains("Unknown option: '-x'"), r.err());
    }
}
