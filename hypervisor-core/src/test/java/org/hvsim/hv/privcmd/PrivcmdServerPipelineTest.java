package org.hvsim.hv.privcmd;

import static org.hvsim.hv.privcmd.PrivcmdWire.concat;
import static org.hvsim.hv.privcmd.PrivcmdWire.frame;
import static org.hvsim.hv.privcmd.PrivcmdWire.hello;
import static org.hvsim.hv.privcmd.PrivcmdWire.hypercall;
import static org.hvsim.hv.privcmd.ServerPipelineHarness.TOKEN;
import static org.hvsim.hv.privcmd.ServerPipelineHarness.readOutbound;
import static org.hvsim.hv.privcmd.ServerPipelineHarness.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hvsim.proto.privcmd.EventUpcall;
import org.hvsim.proto.privcmd.HypercallResult;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.junit.jupiter.api.Test;

class PrivcmdServerPipelineTest {
    private final ServerPipelineHarness harness = new ServerPipelineHarness();

    private static PrivcmdMessage result(long id, long value) {
        return PrivcmdMessage.newBuilder()
                .setHypercallResult(HypercallResult.newBuilder().setId(id).setResult(value))
                .build();
    }

    private static PrivcmdMessage upcall(int vcpu) {
        return PrivcmdMessage.newBuilder().setUpcall(EventUpcall.newBuilder().setVcpu(vcpu)).build();
    }

    private static PrivcmdMessage welcome() {
        return PrivcmdMessage.newBuilder().setWelcome(ServerPipelineHarness.WELCOME).build();
    }

    @Test
    void helloWithTheTokenIsAnsweredWithTheWelcomeAndHypercallsWithTheirResults() {
        EmbeddedChannel channel = harness.newChannel();
        write(channel, frame(hello(TOKEN, 4242)));
        assertEquals(List.of(welcome()), readOutbound(channel));
        assertEquals(List.of("connected 4242"), harness.sessionEvents);

        write(channel, frame(hypercall(7, 3, 32, 1, 2)));
        write(channel, frame(hypercall(8, 0, 17)));
        assertEquals(List.of(result(7, 35), result(8, 17)), readOutbound(channel));
        assertTrue(channel.isActive());
        assertEquals(2, harness.counters.hypercalls());

        channel.close();
        assertEquals(List.of("connected 4242", "disconnected 4242"), harness.sessionEvents);
    }

    @Test
    void opsThatNeverWaitAreAnsweredOnTheEventLoopAndTheOthersGoToTheExecutor() {
        List<Runnable> submitted = new ArrayList<>();
        List<String> ranOn = new ArrayList<>();
        Dom0HypercallHandler handler = new Dom0HypercallHandler() {
            @Override
            public long hypercall(int vcpu, int op, long[] args) {
                ranOn.add(op + "@" + Thread.currentThread().getName());
                return ServerPipelineHarness.sumHandler(vcpu, op, args);
            }

            @Override
            public boolean neverWaits(int op, long[] args) {
                return op == 17;
            }
        };
        ServerPipelineHarness split = new ServerPipelineHarness(handler, submitted::add, 1);
        EmbeddedChannel channel = split.newChannel();
        write(channel, frame(hello(TOKEN, 4242)));
        assertEquals(List.of(welcome()), readOutbound(channel));

        write(channel, frame(hypercall(1, 0, 36, 1)));  // may wait: handed to the executor, not run yet
        write(channel, frame(hypercall(2, 0, 17, 2)));  // never waits, but the one slot is taken: it queues
        assertEquals(List.of(), readOutbound(channel));
        assertEquals(1, submitted.size());
        submitted.removeFirst().run();
        channel.runPendingTasks();
        // The waiting call's result, then the queued never-waiting call answered at once on the event loop.
        assertEquals(List.of(result(1, 37), result(2, 19)), readOutbound(channel));
        assertEquals(List.of(), submitted);

        write(channel, frame(hypercall(3, 1, 17, 5)));
        assertEquals(List.of(result(3, 22)), readOutbound(channel), "answered in the same read, no executor");
        assertEquals(List.of(), submitted);
        assertEquals(3, split.counters.hypercalls());
        assertTrue(channel.isActive());
    }

    @Test
    void framesSplitAtEveryByteBoundaryDecode() {
        byte[] stream = concat(frame(hello(TOKEN, 1)), frame(hypercall(1, 1, 12, 10, 20, 30)),
                frame(hypercall(2, 2, 29, -1, Long.MAX_VALUE, 3, 4, 5)));
        List<PrivcmdMessage> expected = List.of(welcome(), result(1, 72),
                result(2, 29 - 1 + Long.MAX_VALUE + 3 + 4 + 5));
        for (int split = 0; split <= stream.length; split++) {
            ServerPipelineHarness fresh = new ServerPipelineHarness();
            EmbeddedChannel channel = fresh.newChannel();
            write(channel, Arrays.copyOfRange(stream, 0, split));
            write(channel, Arrays.copyOfRange(stream, split, stream.length));
            assertEquals(expected, readOutbound(channel), "split at byte " + split);
            assertTrue(channel.isActive(), "split at byte " + split);
        }
    }

    @Test
    void framesFedOneByteAtATimeDecode() {
        byte[] stream = concat(frame(hello(TOKEN, 1)), frame(hypercall(5, 0, 24, 1)));
        EmbeddedChannel channel = harness.newChannel();
        for (byte b : stream) {
            write(channel, new byte[] {b});
        }
        assertEquals(List.of(welcome(), result(5, 25)), readOutbound(channel));
    }

    @Test
    void aFrameOfExactlyTheMaximumIsAccepted() {
        EmbeddedChannel channel = harness.authenticatedChannel(1);
        write(channel, frame(paddedHypercall(PrivcmdLimits.MAX_FRAME_BYTES)));
        assertEquals(List.of(result(9, 0)), readOutbound(channel));
        assertTrue(channel.isActive());
    }

    @Test
    void anOversizedFrameClosesTheConnectionBeforeItsBodyArrives() {
        EmbeddedChannel channel = harness.authenticatedChannel(1);
        byte[] oversized = frame(paddedHypercall(PrivcmdLimits.MAX_FRAME_BYTES + 1));
        write(channel, Arrays.copyOf(oversized, 4));
        assertFalse(channel.isOpen());
        assertEquals(1, harness.counters.closed(CloseReason.OVERSIZED_FRAME));
        assertEquals(List.of("connected 1", "disconnected 1"), harness.sessionEvents);
    }

    @Test
    void anOversizedLengthBeforeTheHandshakeClosesTheConnection() {
        EmbeddedChannel channel = harness.newChannel();
        write(channel, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertFalse(channel.isOpen());
        assertEquals(1, harness.counters.closed(CloseReason.OVERSIZED_FRAME));
        assertEquals(0, harness.welcomesSupplied.get());
    }

    @Test
    void garbageClosesTheConnection() {
        EmbeddedChannel channel = harness.newChannel();
        write(channel, frame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        assertFalse(channel.isOpen());
        assertEquals(1, harness.counters.closed(CloseReason.MALFORMED_FRAME));
        assertTrue(readOutbound(channel).isEmpty());
    }

    @Test
    void aWrongTokenClosesTheConnectionWithoutAWelcome() {
        EmbeddedChannel channel = harness.newChannel();
        write(channel, concat(frame(hello("the-wrong-token", 1)), frame(hypercall(1, 0, 17))));
        assertFalse(channel.isOpen());
        assertTrue(readOutbound(channel).isEmpty());
        assertEquals(1, harness.counters.closed(CloseReason.BAD_TOKEN));
        assertEquals(0, harness.counters.hypercalls());
        assertEquals(0, harness.welcomesSupplied.get());
        assertTrue(harness.sessionEvents.isEmpty());
    }

    @Test
    void aTokenThatOnlyStartsLikeTheRightOneIsWrong() {
        EmbeddedChannel channel = harness.newChannel();
        write(channel, frame(hello(TOKEN + "x", 1)));
        assertFalse(channel.isOpen());
        EmbeddedChannel prefix = harness.newChannel();
        write(prefix, frame(hello(TOKEN.substring(0, TOKEN.length() - 1), 1)));
        assertFalse(prefix.isOpen());
        assertEquals(2, harness.counters.closed(CloseReason.BAD_TOKEN));
    }

    @Test
    void aHypercallBeforeHelloClosesTheConnection() {
        EmbeddedChannel channel = harness.newChannel();
        write(channel, concat(frame(hypercall(1, 0, 17)), frame(hello(TOKEN, 1))));
        assertFalse(channel.isOpen());
        assertTrue(readOutbound(channel).isEmpty());
        assertEquals(1, harness.counters.closed(CloseReason.NOT_HELLO));
        assertEquals(0, harness.counters.hypercalls());
    }

    @Test
    void sixArgumentsCloseTheConnection() {
        EmbeddedChannel channel = harness.authenticatedChannel(1);
        write(channel, concat(frame(hypercall(1, 0, 13, 1, 2, 3, 4, 5, 6)), frame(hypercall(2, 0, 17))));
        assertFalse(channel.isOpen());
        assertTrue(readOutbound(channel).isEmpty());
        assertEquals(1, harness.counters.closed(CloseReason.TOO_MANY_ARGS));
        assertEquals(0, harness.counters.hypercalls());
    }

    @Test
    void theHandlerGetsFiveArgumentsWithTheUnsentOnesZero() {
        List<long[]> seen = new ArrayList<>();
        ServerPipelineHarness recording = new ServerPipelineHarness((vcpu, op, args) -> {
            seen.add(args.clone());
            return 0;
        }, Runnable::run, 8);
        EmbeddedChannel channel = recording.authenticatedChannel(1);
        write(channel, concat(frame(hypercall(1, 0, 1)), frame(hypercall(2, 0, 1, -7, 8)),
                frame(hypercall(3, 0, 1, 1, 2, 3, 4, 5))));
        assertArrayEquals(new long[5], seen.get(0));
        assertArrayEquals(new long[] {-7, 8, 0, 0, 0}, seen.get(1));
        assertArrayEquals(new long[] {1, 2, 3, 4, 5}, seen.get(2));
    }

    @Test
    void aHypercallFromAVcpuDom0DoesNotHaveClosesTheConnection() {
        EmbeddedChannel channel = harness.authenticatedChannel(1);
        write(channel, frame(hypercall(1, ServerPipelineHarness.NR_VCPUS, 17)));
        assertFalse(channel.isOpen());
        assertEquals(1, harness.counters.closed(CloseReason.BAD_VCPU));

        EmbeddedChannel negative = harness.authenticatedChannel(2);
        write(negative, frame(hypercall(1, -1, 17)));
        assertFalse(negative.isOpen());
        assertEquals(2, harness.counters.closed(CloseReason.BAD_VCPU));
    }

    @Test
    void anythingButAHypercallAfterTheHandshakeClosesTheConnection() {
        EmbeddedChannel secondHello = harness.authenticatedChannel(1);
        write(secondHello, frame(hello(TOKEN, 1)));
        assertFalse(secondHello.isOpen());

        EmbeddedChannel result = harness.authenticatedChannel(2);
        write(result, frame(result(1, 0)));
        assertFalse(result.isOpen());

        EmbeddedChannel empty = harness.authenticatedChannel(3);
        write(empty, frame(new byte[0]));
        assertFalse(empty.isOpen());
        assertEquals(3, harness.counters.closed(CloseReason.UNEXPECTED_MESSAGE));
    }

    @Test
    void aConnectionThatSendsNoHelloIsClosedAfterTheTimeout() {
        EmbeddedChannel channel = harness.newChannel();
        channel.freezeTime();
        channel.advanceTimeBy(ServerPipelineHarness.HELLO_TIMEOUT_NS - 1_000_000, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(2_000_000, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
        assertEquals(1, harness.counters.closed(CloseReason.HELLO_TIMEOUT));
    }

    @Test
    void theHelloTimeoutNoLongerAppliesOnceDom0IsAuthenticated() {
        EmbeddedChannel channel = harness.authenticatedChannel(1);
        channel.freezeTime();
        channel.advanceTimeBy(2 * ServerPipelineHarness.HELLO_TIMEOUT_NS, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
    }

    @Test
    void aSecondDom0IsRefusedWhileTheFirstIsAliveAndAcceptedAfterItLeaves() {
        EmbeddedChannel first = harness.authenticatedChannel(100);
        EmbeddedChannel second = harness.newChannel();
        write(second, frame(hello(TOKEN, 200)));
        assertFalse(second.isOpen());
        assertTrue(readOutbound(second).isEmpty());
        assertEquals(1, harness.counters.closed(CloseReason.SESSION_BUSY));
        assertTrue(first.isActive());
        assertSame(first, harness.context.slot().established().channel());

        first.close();
        assertNull(harness.context.slot().established());
        EmbeddedChannel restarted = harness.authenticatedChannel(300);
        write(restarted, frame(hypercall(1, 0, 17)));
        assertEquals(List.of(result(1, 17)), readOutbound(restarted));
        assertEquals(List.of("connected 100", "disconnected 100", "connected 300"), harness.sessionEvents);
        assertEquals(2, harness.counters.sessions());
        assertEquals(2, harness.welcomesSupplied.get());
    }

    @Test
    void aRefusedOrUnauthenticatedConnectionClosingDoesNotEndTheSession() {
        EmbeddedChannel first = harness.authenticatedChannel(100);
        EmbeddedChannel stranger = harness.newChannel();
        stranger.close();
        EmbeddedChannel refused = harness.newChannel();
        write(refused, frame(hello(TOKEN, 200)));
        assertSame(first, harness.context.slot().established().channel());
        assertEquals(List.of("connected 100"), harness.sessionEvents);
    }

    @Test
    void aHandlerThatThrowsEndsTheSessionAsAHostFault() {
        ServerPipelineHarness faulty = new ServerPipelineHarness((vcpu, op, args) -> {
            throw new IllegalStateException("dispatcher bug");
        }, Runnable::run, 8);
        EmbeddedChannel channel = faulty.authenticatedChannel(1);
        write(channel, frame(hypercall(1, 0, 17)));
        assertFalse(channel.isOpen());
        assertEquals(1, faulty.counters.closed(CloseReason.HOST_FAULT));
    }

    @Test
    void aBadWelcomeFromTheHypervisorClosesTheConnectionAndFreesTheSlot() {
        ServerContext good = harness.context;
        ServerContext bad = new ServerContext(good.token(),
                () -> ServerPipelineHarness.WELCOME.toBuilder().setNrVcpus(0).build(), good.slot(), good.handler(),
                good.inspection(), good.hypercallExecutor(), good.listener(), good.counters(), good.log(), good.helloTimeoutNs(),
                good.maxInFlight());
        EmbeddedChannel channel = ServerPipelineHarness.newChannel(bad);
        write(channel, frame(hello(TOKEN, 1)));
        assertFalse(channel.isOpen());
        assertTrue(readOutbound(channel).isEmpty());
        assertEquals(1, harness.counters.closed(CloseReason.HOST_FAULT));
        harness.authenticatedChannel(2);
    }

    @Test
    void beyondTheInFlightBoundTheServerStopsReadingUntilCallsComplete() {
        ServerPipelineHarness.HeldExecutor executor = new ServerPipelineHarness.HeldExecutor();
        ServerPipelineHarness bounded = new ServerPipelineHarness(ServerPipelineHarness::sumHandler, executor, 3);
        EmbeddedChannel channel = bounded.authenticatedChannel(1);
        byte[] five = concat(frame(hypercall(1, 0, 1)), frame(hypercall(2, 0, 2)), frame(hypercall(3, 0, 3)),
                frame(hypercall(4, 0, 4)), frame(hypercall(5, 0, 5)));
        write(channel, five);
        HypercallRelay relay = bounded.relay(channel);
        assertEquals(3, executor.held.size());
        assertEquals(3, relay.inFlight());
        assertEquals(2, relay.backlog());
        assertFalse(channel.config().isAutoRead());

        executor.runOne();
        assertEquals(List.of(result(1, 1)), readOutbound(channel));
        assertEquals(3, relay.inFlight());
        assertEquals(1, relay.backlog());
        assertFalse(channel.config().isAutoRead());

        executor.runOne();
        executor.runOne();
        assertEquals(List.of(result(2, 2), result(3, 3)), readOutbound(channel));
        assertEquals(0, relay.backlog());
        assertEquals(2, relay.inFlight());
        assertTrue(channel.config().isAutoRead());

        executor.runOne();
        executor.runOne();
        assertEquals(List.of(result(4, 4), result(5, 5)), readOutbound(channel));
        assertEquals(0, relay.inFlight());
    }

    @Test
    void upcallsAreWrittenAtOnceWhileDom0IsReading() {
        EmbeddedChannel channel = harness.authenticatedChannel(1);
        UpcallQueue upcalls = harness.context.slot().established().upcalls();
        upcalls.raise(2);
        upcalls.raise(2);
        upcalls.raise(0);
        assertEquals(List.of(upcall(2), upcall(2), upcall(0)), readOutbound(channel));
    }

    @Test
    void anUpcallRaisedDuringAHypercallIsWrittenBeforeItsResult() {
        AtomicReference<ServerPipelineHarness> self = new AtomicReference<>();
        ServerPipelineHarness raising = new ServerPipelineHarness((vcpu, op, args) -> {
            self.get().context.slot().established().upcalls().raise(vcpu);
            return op;
        }, Runnable::run, 8);
        self.set(raising);
        EmbeddedChannel channel = raising.newChannel();
        write(channel, concat(frame(hello(TOKEN, 1)), frame(hypercall(1, 3, 32))));
        assertEquals(List.of(welcome(), upcall(3), result(1, 32)), readOutbound(channel));
    }

    @Test
    void whileDom0IsNotReadingUpcallsWaitInTheOrderRaisedOnePerVcpu() {
        EmbeddedChannel channel = harness.authenticatedChannel(1);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        channel.write(result(99, 0));
        assertFalse(channel.isWritable());
        UpcallQueue upcalls = harness.context.slot().established().upcalls();
        upcalls.raise(2);
        upcalls.raise(0);
        upcalls.raise(2);
        upcalls.raise(3);
        upcalls.raise(0);
        channel.flush();
        assertTrue(channel.isWritable());
        assertEquals(List.of(result(99, 0), upcall(2), upcall(0), upcall(3)), readOutbound(channel));
        upcalls.raise(2);
        assertEquals(List.of(upcall(2)), readOutbound(channel));
    }

    @Test
    void whileDom0IsNotReadingItsResultsTheServerStopsReadingRequests() {
        ServerPipelineHarness.HeldExecutor executor = new ServerPipelineHarness.HeldExecutor();
        ServerPipelineHarness held = new ServerPipelineHarness(ServerPipelineHarness::sumHandler, executor, 8);
        EmbeddedChannel channel = held.authenticatedChannel(1);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        channel.write(result(99, 0));
        write(channel, frame(hypercall(1, 0, 17)));
        assertFalse(channel.config().isAutoRead());
        channel.flush();
        assertTrue(channel.config().isAutoRead());
        executor.runOne();
        assertEquals(List.of(result(99, 0), result(1, 17)), readOutbound(channel));
    }

    @Test
    void bytesAfterAClosingFrameAreIgnored() {
        EmbeddedChannel channel = harness.authenticatedChannel(1);
        write(channel, concat(frame(new byte[] {(byte) 0xff}), frame(hypercall(1, 0, 17)), frame(hello(TOKEN, 2))));
        assertFalse(channel.isOpen());
        assertEquals(0, harness.counters.hypercalls());
        assertEquals(1, harness.counters.closedTotal());
    }

    /** A hypercall request (id 9, vCPU 0, op 0) padded with an unknown field to exactly {@code bytes}. */
    private static PrivcmdMessage paddedHypercall(int bytes) {
        PrivcmdMessage base = hypercall(9, 0, 0);
        for (int padding = bytes - base.getSerializedSize() - 6; padding >= 0; padding++) {
            PrivcmdMessage padded = base.toBuilder()
                    .setUnknownFields(UnknownFieldSet.newBuilder()
                            .addField(1000, UnknownFieldSet.Field.newBuilder()
                                    .addLengthDelimited(ByteString.copyFrom(new byte[padding])).build())
                            .build())
                    .build();
            if (padded.getSerializedSize() == bytes) {
                return padded;
            }
            if (padded.getSerializedSize() > bytes) {
                break;
            }
        }
        throw new AssertionError("cannot pad a hypercall to " + bytes + " bytes");
    }
}
