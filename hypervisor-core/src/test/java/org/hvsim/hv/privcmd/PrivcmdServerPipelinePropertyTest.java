package org.hvsim.hv.privcmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.hvsim.hv.abi.Errno;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceControl;
import org.hvsim.proto.privcmd.HypercallRequest;
import org.hvsim.proto.privcmd.HypercallResult;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.SchedTraceControl;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;
import org.hvsim.proto.privcmd.VcpuRunstateResult;

/**
 * Arbitrary bytes fed to the server pipeline, in arbitrary pieces: nothing escapes, and the channel
 * ends up exactly as an independent model of the protocol says: open, having answered every
 * complete frame (hypercalls and queries; labels and trace switches have no answer), while all frames so far are valid; closed, with one counted reason, otherwise.
 */
class PrivcmdServerPipelinePropertyTest {

    @Property(tries = 500)
    void arbitraryBytesNeverEscapeAndMatchTheModel(
            @ForAll @Size(max = 400) byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int pieceSize) {
        check(bytes, pieceSize);
    }

    /** The sample that found the model knew only hypercalls after the handshake (dom0 also queries and labels). */
    @org.junit.jupiter.api.Test
    void anEventChannelQueryAfterTheHandshakeIsAnswered() {
        check(new byte[] {0, 0, 0, 21, 10, 19, 10, 15, 116, 104, 101, 45, 114, 105, 103, 104, 116, 45, 116, 111, 107,
            101, 110, 16, 1, 0, 0, 0, 9, 8, 0, 50, 0, -8, 0, -1, -1, 0}, 1);
    }

    @Property(tries = 1000)
    void framedStreamsNeverEscapeAndMatchTheModel(
            @ForAll("streams") byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int pieceSize) {
        check(bytes, pieceSize);
    }

    @Provide
    Arbitrary<byte[]> streams() {
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, hypercallFrames()),
                net.jqwik.api.Tuple.of(2, inspectionFrames()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(
                        PrivcmdWire.frame(PrivcmdWire.hello(ServerPipelineHarness.TOKEN, 1)),
                        PrivcmdWire.frame(PrivcmdWire.hello("wrong", 1)),
                        PrivcmdWire.frame(new byte[0]),
                        PrivcmdWire.frame(resultMessage()),
                        ByteBuffer.allocate(4).putInt(PrivcmdLimits.MAX_FRAME_BYTES + 1).array())),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(12)),
                net.jqwik.api.Tuple.of(1,
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(12).map(PrivcmdWire::frame)));
        Arbitrary<byte[]> first = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(
                        PrivcmdWire.frame(PrivcmdWire.hello(ServerPipelineHarness.TOKEN, 1)))),
                net.jqwik.api.Tuple.of(2, piece));
        return Combinators.combine(first, piece.list().ofMaxSize(12)).as((head, tail) -> {
            List<byte[]> parts = new ArrayList<>();
            parts.add(head);
            parts.addAll(tail);
            return PrivcmdWire.concat(parts.toArray(byte[][]::new));
        });
    }

    private static Arbitrary<byte[]> hypercallFrames() {
        Arbitrary<Integer> vcpu = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, ServerPipelineHarness.NR_VCPUS - 1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(ServerPipelineHarness.NR_VCPUS, -1, Integer.MIN_VALUE)));
        Arbitrary<long[]> args = Arbitraries.longs().array(long[].class).ofMaxSize(6);
        return Combinators.combine(Arbitraries.longs(), vcpu, Arbitraries.integers(), args)
                .as((id, v, op, a) -> PrivcmdWire.frame(PrivcmdWire.hypercall(id, v, op, a)));
    }

    /** What else dom0 sends after the handshake: queries, labels, trace switches. */
    private static Arbitrary<byte[]> inspectionFrames() {
        Arbitrary<PrivcmdMessage> m = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.longs(), Arbitraries.integers(), Arbitraries.integers()).as((id, d, p) ->
                        PrivcmdMessage.newBuilder().setEvtchnQuery(EvtchnQuery.newBuilder().setId(id).setDomid(d)
                                .setPort(p)).build()),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers(), Arbitraries.strings().ofMaxLength(8))
                        .as((d, p, l) -> PrivcmdMessage.newBuilder().setEvtchnLabel(EvtchnLabel.newBuilder()
                                .setDomid(d).setPort(p).setLabel(l)).build()),
                Combinators.combine(Arbitraries.longs(), Arbitraries.integers()).as((id, d) ->
                        PrivcmdMessage.newBuilder().setVcpuRunstateQuery(VcpuRunstateQuery.newBuilder().setId(id)
                                .setDomid(d)).build()),
                Arbitraries.of(true, false).map(on -> PrivcmdMessage.newBuilder()
                        .setEvtchnTraceControl(EvtchnTraceControl.newBuilder().setEnabled(on)).build()),
                Arbitraries.of(true, false).map(on -> PrivcmdMessage.newBuilder()
                        .setSchedTraceControl(SchedTraceControl.newBuilder().setEnabled(on)).build()));
        return m.map(msg -> PrivcmdWire.frame(msg.toByteArray()));
    }

    private static byte[] resultMessage() {
        return PrivcmdMessage.newBuilder()
                .setHypercallResult(HypercallResult.newBuilder().setId(1).setResult(2))
                .build()
                .toByteArray();
    }

    private static void check(byte[] stream, int pieceSize) {
        ServerPipelineHarness harness = new ServerPipelineHarness();
        EmbeddedChannel channel = harness.newChannel();
        for (int from = 0; from < stream.length && channel.isOpen(); from += pieceSize) {
            byte[] piece = Arrays.copyOfRange(stream, from, Math.min(stream.length, from + pieceSize));
            channel.writeInbound(Unpooled.wrappedBuffer(piece)); // throws if anything escaped
            channel.runPendingTasks();
            channel.checkException();
        }
        Model model = Model.of(stream);
        assertEquals(model.open(), channel.isOpen());
        if (model.open()) {
            assertEquals(model.expectedReplies(), ServerPipelineHarness.readOutbound(channel));
            assertEquals(0, harness.counters.closedTotal());
        } else {
            assertEquals(1, harness.counters.closedTotal());
            assertEquals(1, harness.counters.closed(model.reason()), model.reason().name());
            assertFalse(channel.isActive());
        }
        channel.finishAndReleaseAll();
    }

    /** What the protocol says a server does with {@code stream}, written without netty. */
    private record Model(boolean open, CloseReason reason, List<PrivcmdMessage> expectedReplies) {
        static Model closed(CloseReason reason) {
            return new Model(false, reason, List.of());
        }

        static Model of(byte[] stream) {
            ByteBuffer in = ByteBuffer.wrap(stream);
            List<PrivcmdMessage> replies = new ArrayList<>();
            boolean authenticated = false;
            while (in.remaining() >= 4) {
                long length = Integer.toUnsignedLong(in.getInt());
                if (length > PrivcmdLimits.MAX_FRAME_BYTES) {
                    return closed(CloseReason.OVERSIZED_FRAME);
                }
                if (in.remaining() < length) {
                    break;
                }
                byte[] body = new byte[(int) length];
                in.get(body);
                PrivcmdMessage message;
                try {
                    message = PrivcmdMessage.parseFrom(body);
                } catch (InvalidProtocolBufferException e) {
                    return closed(CloseReason.MALFORMED_FRAME);
                }
                if (!authenticated) {
                    if (!message.hasHello()) {
                        return closed(CloseReason.NOT_HELLO);
                    }
                    if (!message.getHello().getToken().equals(ServerPipelineHarness.TOKEN)) {
                        return closed(CloseReason.BAD_TOKEN);
                    }
                    authenticated = true;
                    replies.add(PrivcmdMessage.newBuilder().setWelcome(ServerPipelineHarness.WELCOME).build());
                    continue;
                }
                switch (message.getBodyCase()) {
                    case EVTCHN_QUERY -> {   // answered by the inspection (the harness has none: -ENOSYS)
                        replies.add(PrivcmdMessage.newBuilder().setEvtchnQueryResult(EvtchnQueryResult.newBuilder()
                                .setId(message.getEvtchnQuery().getId()).setError(-Errno.ENOSYS)).build());
                        continue;
                    }
                    case VCPU_RUNSTATE_QUERY -> {
                        replies.add(PrivcmdMessage.newBuilder().setVcpuRunstateResult(VcpuRunstateResult.newBuilder()
                                .setId(message.getVcpuRunstateQuery().getId()).setError(-Errno.ENOSYS)).build());
                        continue;
                    }
                    case EVTCHN_LABEL, EVTCHN_TRACE_CONTROL, SCHED_TRACE_CONTROL -> {   // no answer
                        continue;
                    }
                    case HYPERCALL -> {
                    }
                    default -> {
                        return closed(CloseReason.UNEXPECTED_MESSAGE);
                    }
                }
                HypercallRequest request = message.getHypercall();
                int vcpu = request.getVcpu();
                if (request.getArgsCount() > 5) {
                    return closed(CloseReason.TOO_MANY_ARGS);
                }
                if (vcpu < 0 || vcpu >= ServerPipelineHarness.NR_VCPUS) {
                    return closed(CloseReason.BAD_VCPU);
                }
                long sum = request.getOp();
                for (long arg : request.getArgsList()) {
                    sum += arg;
                }
                replies.add(PrivcmdMessage.newBuilder()
                        .setHypercallResult(HypercallResult.newBuilder().setId(request.getId()).setResult(sum))
                        .build());
            }
            return new Model(true, null, replies);
        }
    }
}
