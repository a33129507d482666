package org.hvsim.dom0.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hvsim.dom0.privcmd.PrivcmdClosedException;
import org.hvsim.hv.abi.Errno;
import org.hvsim.proto.privcmd.EvtchnPortInfo;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.junit.jupiter.api.Test;

/** The inspector over a scripted hypervisor: paging, errors, and what it passes on. */
class EventChannelInspectorTest {
    /** Answers queries with {@code answer}; records them, the labels and the trace calls. */
    static final class Scripted implements EvtchnIntrospection {
        final List<EvtchnQuery> queries = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        final List<Consumer<EvtchnTraceBatch>> traceCalls = new ArrayList<>();
        Function<EvtchnQuery, CompletableFuture<EvtchnQueryResult>> answer;

        @Override
        public CompletableFuture<EvtchnQueryResult> query(EvtchnQuery query) {
            queries.add(query);
            return answer.apply(query);
        }

        @Override
        public void label(int domid, int port, String label) {
            labels.add(domid + ":" + port + "=" + label);
        }

        @Override
        public void trace(Consumer<EvtchnTraceBatch> listener) {
            traceCalls.add(listener);
        }
    }

    private final Scripted hv = new Scripted();
    private final EventChannelInspector inspector = new EventChannelInspector(hv);

    private static EvtchnPortInfo port(int p) {
        return EvtchnPortInfo.newBuilder().setPort(p).build();
    }

    /** A domain whose ports in use are {@code ports}, answered {@code page} at a time. */
    private void domainWithPorts(List<Integer> ports, int page) {
        hv.answer = q -> {
            EvtchnQueryResult.Builder r = EvtchnQueryResult.newBuilder().setId(q.getId()).setMaxPort(1023);
            if (q.getSingle()) {
                return CompletableFuture.completedFuture(r.addPorts(port(q.getPort())).build());
            }
            List<Integer> from = ports.stream().filter(p -> p >= q.getPort()).limit(page).toList();
            from.forEach(p -> r.addPorts(port(p)));
            if (from.size() == page) {
                r.setNextPort(from.getLast() + 1);
            }
            return CompletableFuture.completedFuture(r.build());
        };
    }

    @Test
    void aListingFollowsNextPortOverSeveralQueries() {
        List<Integer> ports = new ArrayList<>();
        for (int p = 1; p <= 1200; p += 1 + p % 3) {
            ports.add(p);
        }
        domainWithPorts(ports, 128);
        EventChannelInspector.Listing listing = inspector.list(5);
        assertEquals(1023, listing.maxPort());
        assertEquals(ports, listing.ports().stream().map(EvtchnPortInfo::getPort).toList());
        assertEquals(1, hv.queries.getFirst().getPort(), "from port 1");
        assertEquals(ports.size() / 128 + 1, hv.queries.size());
        hv.queries.forEach(q -> assertEquals(5, q.getDomid()));
        hv.queries.forEach(q -> assertEquals(false, q.getSingle()));
    }

    @Test
    void aHypervisorThatAlwaysSaysGoOnIsAskedABoundedNumberOfTimes() {
        hv.answer = q -> CompletableFuture.completedFuture(EvtchnQueryResult.newBuilder()
                .addPorts(port(q.getPort())).setNextPort(q.getPort() + 1).build());
        EventChannelInspector.Listing listing = inspector.list(1);
        assertEquals(16, hv.queries.size());
        assertEquals(16, listing.ports().size());
    }

    @Test
    void statusAsksForTheSinglePort() {
        domainWithPorts(List.of(), 10);
        assertEquals(7, inspector.status(3, 7).getPort());
        EvtchnQuery q = hv.queries.getFirst();
        assertEquals(true, q.getSingle());
        assertEquals(3, q.getDomid());
        assertEquals(7, q.getPort());
    }

    @Test
    void errorsBecomeXenErrorsWithTheirErrno() {
        hv.answer = q -> CompletableFuture.completedFuture(EvtchnQueryResult.newBuilder()
                .setError(q.getSingle() ? -Errno.EINVAL : -Errno.ESRCH).build());
        assertEquals(Errno.ESRCH, assertThrows(XenError.class, () -> inspector.list(9)).errno());
        XenError e = assertThrows(XenError.class, () -> inspector.status(0, -1));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(true, e.getMessage().contains("port 4294967295"), e.getMessage());
    }

    @Test
    void anErrorOnALaterPageFailsTheWholeListing() {
        hv.answer = q -> CompletableFuture.completedFuture(q.getPort() == 1
                ? EvtchnQueryResult.newBuilder().addPorts(port(1)).setNextPort(2).build()
                : EvtchnQueryResult.newBuilder().setError(-Errno.ESRCH).build());
        assertEquals(Errno.ESRCH, assertThrows(XenError.class, () -> inspector.list(4)).errno());
    }

    @Test
    void aClosedChannelIsRethrownAsItself() {
        PrivcmdClosedException closed = new PrivcmdClosedException("gone");
        hv.answer = q -> CompletableFuture.failedFuture(closed);
        assertSame(closed, assertThrows(PrivcmdClosedException.class, () -> inspector.list(0)));
        assertSame(closed, assertThrows(PrivcmdClosedException.class, () -> inspector.status(0, 1)));
    }

    @Test
    void labelsAndTraceControlArePassedOn() {
        inspector.label(2, 5, "vif");
        Consumer<EvtchnTraceBatch> listener = b -> { };
        inspector.trace(listener);
        inspector.trace(null);
        assertEquals(List.of("2:5=vif"), hv.labels);
        assertEquals(2, hv.traceCalls.size());
        assertSame(listener, hv.traceCalls.getFirst());
        assertEquals(null, hv.traceCalls.getLast());
    }
}
