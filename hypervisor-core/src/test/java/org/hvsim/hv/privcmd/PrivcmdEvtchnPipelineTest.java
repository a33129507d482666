package org.hvsim.hv.privcmd;

import static org.hvsim.hv.privcmd.PrivcmdWire.frame;
import static org.hvsim.hv.privcmd.ServerPipelineHarness.readOutbound;
import static org.hvsim.hv.privcmd.ServerPipelineHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnPortInfo;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.EvtchnTraceControl;
import org.hvsim.proto.privcmd.HypercallResult;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.SchedTraceBatch;
import org.hvsim.proto.privcmd.SchedTraceControl;
import org.junit.jupiter.api.Test;

/**
 * The inspection messages on the server pipeline: event channel queries, labels, trace control and trace
 * batches, and the scheduler trace's control and batches.
 */
class PrivcmdEvtchnPipelineTest {
    /** Answers each query with one port numbered as the query's port; records labels and trace calls. */
    static final class RecordingInspection implements Dom0Inspection {
        final List<EvtchnQuery> queries = new ArrayList<>();
        final List<EvtchnLabel> labels = new ArrayList<>();
        final List<Consumer<EvtchnTraceBatch>> traceCalls = new ArrayList<>();
        final List<Consumer<SchedTraceBatch>> schedTraceCalls = new ArrayList<>();

        @Override
        public EvtchnQueryResult queryEvtchn(EvtchnQuery query) {
            queries.add(query);
            return EvtchnQueryResult.newBuilder().setId(query.getId()).setMaxPort(1023)
                    .addPorts(EvtchnPortInfo.newBuilder().setPort(query.getPort()).setLabel("d" + query.getDomid()))
                    .build();
        }

        @Override
        public void labelEvtchn(EvtchnLabel label) {
            labels.add(label);
        }

        @Override
        public void traceEvtchn(Consumer<EvtchnTraceBatch> sink) {
            traceCalls.add(sink);
        }

        @Override
        public void traceSched(Consumer<SchedTraceBatch> sink) {
            schedTraceCalls.add(sink);
        }
    }

    private final RecordingInspection inspection = new RecordingInspection();
    private final ServerPipelineHarness harness = new ServerPipelineHarness(ServerPipelineHarness::sumHandler,
            inspection, Runnable::run, PrivcmdLimits.DEFAULT_MAX_IN_FLIGHT);
    private final EmbeddedChannel channel = harness.authenticatedChannel(7);

    private static PrivcmdMessage query(long id, int domid, int port) {
        return PrivcmdMessage.newBuilder()
                .setEvtchnQuery(EvtchnQuery.newBuilder().setId(id).setDomid(domid).setPort(port)).build();
    }

    private static PrivcmdMessage label(int domid, int port, String text) {
        return PrivcmdMessage.newBuilder()
                .setEvtchnLabel(EvtchnLabel.newBuilder().setDomid(domid).setPort(port).setLabel(text)).build();
    }

    private static PrivcmdMessage traceControl(boolean enabled) {
        return PrivcmdMessage.newBuilder()
                .setEvtchnTraceControl(EvtchnTraceControl.newBuilder().setEnabled(enabled)).build();
    }

    private static EvtchnTraceBatch batch(int events, long dropped) {
        EvtchnTraceBatch.Builder b = EvtchnTraceBatch.newBuilder().setDropped(dropped).setClockOffsetUnixNanos(5);
        for (int i = 0; i < events * 3; i++) {
            b.addWords(i);
        }
        return b.build();
    }

    private static List<EvtchnTraceBatch> batches(List<PrivcmdMessage> out) {
        return out.stream().map(PrivcmdMessage::getEvtchnTraceBatch).toList();
    }

    /** Turns the trace on and returns the sink the relay gave the hypervisor. */
    private Consumer<EvtchnTraceBatch> traceOn() {
        write(channel, frame(traceControl(true)));
        assertEquals(1, inspection.traceCalls.size());
        Consumer<EvtchnTraceBatch> sink = inspection.traceCalls.getFirst();
        assertNotNull(sink);
        return sink;
    }

    @Test
    void queriesAreAnsweredWithTheirIdsInOrderWithHypercalls() {
        write(channel, frame(query(41, 3, 9)));
        write(channel, frame(PrivcmdWire.hypercall(42, 0, 17, 1)));
        write(channel, frame(query(43, 0, 1)));
        List<PrivcmdMessage> out = readOutbound(channel);
        assertEquals(3, out.size());
        assertEquals(41, out.get(0).getEvtchnQueryResult().getId());
        assertEquals(9, out.get(0).getEvtchnQueryResult().getPorts(0).getPort());
        assertEquals("d3", out.get(0).getEvtchnQueryResult().getPorts(0).getLabel());
        assertEquals(HypercallResult.newBuilder().setId(42).setResult(18).build(), out.get(1).getHypercallResult());
        assertEquals(43, out.get(2).getEvtchnQueryResult().getId());
        assertEquals(2, inspection.queries.size());
        assertTrue(channel.isActive());
    }

    @Test
    void queriesTakeInFlightSlotsAndWaitInTheBacklogLikeHypercalls() {
        ServerPipelineHarness.HeldExecutor executor = new ServerPipelineHarness.HeldExecutor();
        ServerPipelineHarness held = new ServerPipelineHarness(ServerPipelineHarness::sumHandler, inspection, executor, 1);
        EmbeddedChannel ch = held.authenticatedChannel(8);
        write(ch, frame(query(1, 0, 1)));
        write(ch, frame(query(2, 0, 2)));
        assertEquals(1, held.relay(ch).inFlight());
        assertEquals(1, held.relay(ch).backlog());
        assertFalse(ch.config().isAutoRead());
        executor.runOne();
        ch.runPendingTasks();
        executor.runOne();
        List<PrivcmdMessage> out = readOutbound(ch);
        assertEquals(List.of(1L, 2L), out.stream().map(m -> m.getEvtchnQueryResult().getId()).toList());
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void labelsArePassedOnWithNoAnswer() {
        write(channel, frame(label(3, 12, "vbd 51712")));
        write(channel, frame(label(-1, -1, "")));
        assertEquals(List.of(), readOutbound(channel));
        assertEquals(List.of(EvtchnLabel.newBuilder().setDomid(3).setPort(12).setLabel("vbd 51712").build(),
                EvtchnLabel.newBuilder().setDomid(-1).setPort(-1).build()), inspection.labels);
    }

    @Test
    void traceControlStartsWithASinkAndStopsWithNullOncePerChange() {
        traceOn();
        write(channel, frame(traceControl(true)));
        assertEquals(1, inspection.traceCalls.size(), "already on");
        write(channel, frame(traceControl(false)));
        assertEquals(2, inspection.traceCalls.size());
        assertNull(inspection.traceCalls.get(1));
        write(channel, frame(traceControl(false)));
        assertEquals(2, inspection.traceCalls.size(), "already off");
        assertEquals(List.of(), readOutbound(channel));
    }

    @Test
    void theTraceStopsWhenTheSessionEnds() {
        traceOn();
        channel.close();
        assertEquals(2, inspection.traceCalls.size());
        assertNull(inspection.traceCalls.getLast());
    }

    @Test
    void aSessionThatNeverTracedStopsNothing() {
        channel.close();
        assertEquals(List.of(), inspection.traceCalls);
    }

    @Test
    void batchesGoToDom0AsTraceBatchMessages() {
        Consumer<EvtchnTraceBatch> sink = traceOn();
        sink.accept(batch(2, 0));
        sink.accept(batch(1, 3));
        assertEquals(List.of(batch(2, 0), batch(1, 3)), batches(readOutbound(channel)));
    }

    @Test
    void aBatchDom0CannotTakeNowIsDroppedAndCountedInTheNext() {
        Consumer<EvtchnTraceBatch> sink = traceOn();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        channel.write(PrivcmdMessage.newBuilder().setHypercallResult(HypercallResult.newBuilder().setId(99)).build());
        assertFalse(channel.isWritable());
        sink.accept(batch(4, 1));
        channel.runPendingTasks();
        channel.flush();
        assertTrue(channel.isWritable());
        sink.accept(batch(2, 0));
        sink.accept(batch(1, 0));
        List<PrivcmdMessage> out = readOutbound(channel);
        assertEquals(99, out.getFirst().getHypercallResult().getId());
        assertEquals(List.of(batch(2, 0).toBuilder().setDropped(5).build(), batch(1, 0)), batches(out.subList(1, out.size())));
    }

    @Test
    void batchesBeyondTheQueueLimitAreDroppedAndCountedInTheNextWritten() {
        Consumer<EvtchnTraceBatch> sink = traceOn();
        for (int i = 0; i < TraceBatchWriter.MAX_QUEUED + 2; i++) {
            sink.accept(batch(1, i)); // the event loop runs none of them yet
        }
        List<EvtchnTraceBatch> written = batches(readOutbound(channel));
        assertEquals(TraceBatchWriter.MAX_QUEUED, written.size());
        for (int i = 0; i < TraceBatchWriter.MAX_QUEUED; i++) {
            assertEquals(i, written.get(i).getDropped());
        }
        sink.accept(batch(3, 0));
        long lost = (1 + TraceBatchWriter.MAX_QUEUED) + (1 + TraceBatchWriter.MAX_QUEUED + 1); // an event each, plus their dropped
        assertEquals(List.of(batch(3, 0).toBuilder().setDropped(lost).build()), batches(readOutbound(channel)));
    }

    @Test
    void aBatchForAClosedSessionIsNotWritten() {
        Consumer<EvtchnTraceBatch> sink = traceOn();
        channel.close();
        sink.accept(batch(1, 0));
        assertEquals(List.of(), readOutbound(channel));
    }

    private static PrivcmdMessage schedTraceControl(boolean enabled) {
        return PrivcmdMessage.newBuilder()
                .setSchedTraceControl(SchedTraceControl.newBuilder().setEnabled(enabled)).build();
    }

    private static SchedTraceBatch schedBatch(int events, long dropped) {
        SchedTraceBatch.Builder b = SchedTraceBatch.newBuilder().setDropped(dropped).setClockOffsetUnixNanos(7);
        for (int i = 0; i < events * 3; i++) {
            b.addWords(100 + i);
        }
        return b.build();
    }

    @Test
    void theSchedulerTraceIsControlledApartFromTheEventChannelTraceAndItsBatchesReachDom0() {
        write(channel, frame(schedTraceControl(true)));
        write(channel, frame(schedTraceControl(true)));
        assertEquals(List.of(), inspection.traceCalls, "the event channel trace is left alone");
        assertEquals(1, inspection.schedTraceCalls.size(), "on once");
        Consumer<SchedTraceBatch> sink = inspection.schedTraceCalls.getFirst();
        assertNotNull(sink);
        sink.accept(schedBatch(2, 0));
        sink.accept(schedBatch(1, 4));
        assertEquals(List.of(schedBatch(2, 0), schedBatch(1, 4)),
                readOutbound(channel).stream().map(PrivcmdMessage::getSchedTraceBatch).toList());
        write(channel, frame(schedTraceControl(false)));
        assertEquals(2, inspection.schedTraceCalls.size());
        assertNull(inspection.schedTraceCalls.getLast());
    }

    @Test
    void theSchedulerTraceStopsWhenTheSessionEnds() {
        write(channel, frame(schedTraceControl(true)));
        channel.close();
        assertEquals(2, inspection.schedTraceCalls.size());
        assertNull(inspection.schedTraceCalls.getLast());
        assertEquals(List.of(), inspection.traceCalls, "the event channel trace was never on");
    }

    @Test
    void aSchedulerBatchBeyondTheQueueLimitIsCountedInTheNextWritten() {
        write(channel, frame(schedTraceControl(true)));
        Consumer<SchedTraceBatch> sink = inspection.schedTraceCalls.getFirst();
        for (int i = 0; i < TraceBatchWriter.MAX_QUEUED + 1; i++) {
            sink.accept(schedBatch(2, 0));
        }
        assertEquals(TraceBatchWriter.MAX_QUEUED, readOutbound(channel).size());
        sink.accept(schedBatch(1, 0));
        assertEquals(List.of(schedBatch(1, 0).toBuilder().setDropped(2).build()),
                readOutbound(channel).stream().map(PrivcmdMessage::getSchedTraceBatch).toList());
    }
}
