package org.hvsim.dom0.privcmd;

import static org.hvsim.dom0.privcmd.ClientWire.WELCOME;
import static org.hvsim.dom0.privcmd.ClientWire.concat;
import static org.hvsim.dom0.privcmd.ClientWire.frame;
import static org.hvsim.dom0.privcmd.ClientWire.result;
import static org.hvsim.dom0.privcmd.ClientWire.upcall;
import static org.hvsim.dom0.privcmd.ClientWire.welcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.privcmd.Hello;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's pipeline on an EmbeddedChannel, fed what a hypervisor would send. */
class PrivcmdClientPipelineTest {
    private final List<ClientSession> sessions = new ArrayList<>();

    @AfterEach
    void stopDispatchers() {
        sessions.forEach(s -> s.upcalls().close());
    }

    private record Harness(ClientSession session, EmbeddedChannel channel, LinkedBlockingQueue<Integer> upcalls) {}

    private Harness harness() {
        ClientSession session = new ClientSession();
        sessions.add(session);
        EmbeddedChannel channel = new EmbeddedChannel();
        session.install(channel.pipeline());
        session.failAllWhenClosed(channel);
        LinkedBlockingQueue<Integer> upcalls = new LinkedBlockingQueue<>();
        session.upcalls().start(upcalls::add);
        return new Harness(session, channel, upcalls);
    }

    private static void write(EmbeddedChannel channel, byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
    }

    private static PrivcmdClosedException closedCause(CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        return assertInstanceOf(e.getCause());
    }

    private static PrivcmdClosedException assertInstanceOf(Throwable t) {
        assertTrue(t instanceof PrivcmdClosedException, String.valueOf(t));
        return (PrivcmdClosedException) t;
    }

    @Test
    void framesSplitAtEveryByteBoundaryDecode() throws InterruptedException {
        byte[] stream = concat(frame(welcome(WELCOME)), frame(result(1, -22)), frame(upcall(2)),
                frame(result(2, Long.MAX_VALUE)));
        for (int split = 0; split <= stream.length; split++) {
            Harness h = harness();
            CompletableFuture<Long> first = h.session().pending().register(1);
            CompletableFuture<Long> second = h.session().pending().register(2);
            write(h.channel(), Arrays.copyOfRange(stream, 0, split));
            write(h.channel(), Arrays.copyOfRange(stream, split, stream.length));
            String where = "split at byte " + split;
            assertEquals(WELCOME, h.session().welcome().getNow(null), where);
            assertEquals(-22L, first.getNow(null), where);
            assertEquals(Long.MAX_VALUE, second.getNow(null), where);
            assertEquals(2, h.upcalls().poll(10, TimeUnit.SECONDS), where);
            assertTrue(h.channel().isActive(), where);
        }
    }

    @Test
    void framesFedOneByteAtATimeDecode() throws InterruptedException {
        Harness h = harness();
        CompletableFuture<Long> call = h.session().pending().register(7);
        for (byte b : concat(frame(welcome(WELCOME)), frame(upcall(3)), frame(result(7, 0)))) {
            write(h.channel(), new byte[] {b});
        }
        assertEquals(0L, call.getNow(null));
        assertEquals(3, h.upcalls().poll(10, TimeUnit.SECONDS));
    }

    @Test
    void anOversizedFrameClosesTheChannelAndFailsEveryCall() {
        Harness h = harness();
        write(h.channel(), frame(welcome(WELCOME)));
        CompletableFuture<Long> call = h.session().pending().register(1);
        write(h.channel(), new byte[] {0, 1, 0, 1});
        assertFalse(h.channel().isOpen());
        assertTrue(closedCause(call).getMessage().contains("longer than 65536 bytes"));
        PrivcmdClosedException later = assertThrows(PrivcmdClosedException.class,
                () -> h.session().pending().register(2));
        assertTrue(later.getMessage().contains("longer than 65536 bytes"), later.getMessage());
    }

    @Test
    void garbageClosesTheChannel() {
        Harness h = harness();
        write(h.channel(), frame(welcome(WELCOME)));
        CompletableFuture<Long> call = h.session().pending().register(1);
        write(h.channel(), frame(new byte[] {(byte) 0xff, (byte) 0xff}));
        assertFalse(h.channel().isOpen());
        assertTrue(closedCause(call).getMessage().contains("not a PrivcmdMessage"));
    }

    @Test
    void anythingButAWelcomeFirstClosesTheChannelAndFailsTheHandshake() {
        Harness h = harness();
        write(h.channel(), concat(frame(result(1, 0)), frame(welcome(WELCOME))));
        assertFalse(h.channel().isOpen());
        PrivcmdClosedException failure = closedCause(h.session().welcome());
        assertTrue(failure.getMessage().contains("HYPERCALL_RESULT, not a Welcome"), failure.getMessage());
    }

    @Test
    void aWelcomeWithoutVcpusClosesTheChannel() {
        Harness h = harness();
        write(h.channel(), frame(welcome(WELCOME.toBuilder().setNrVcpus(0).build())));
        assertFalse(h.channel().isOpen());
        assertTrue(closedCause(h.session().welcome()).getMessage().contains("0 vCPUs"));
    }

    @Test
    void aResultForACallThatIsNotOutstandingClosesTheChannel() {
        Harness h = harness();
        CompletableFuture<Long> call = h.session().pending().register(1);
        write(h.channel(), concat(frame(welcome(WELCOME)), frame(result(99, 0))));
        assertFalse(h.channel().isOpen());
        assertTrue(closedCause(call).getMessage().contains("hypercall id 99, which is not outstanding"));
    }

    @Test
    void anUpcallForAVcpuDom0DoesNotHaveClosesTheChannel() {
        Harness h = harness();
        write(h.channel(), concat(frame(welcome(WELCOME)), frame(upcall(WELCOME.getNrVcpus()))));
        assertFalse(h.channel().isOpen());
        assertNull(h.upcalls().peek());
    }

    @Test
    void aHelloOrAHypercallFromTheHypervisorClosesTheChannel() {
        Harness hello = harness();
        write(hello.channel(), concat(frame(welcome(WELCOME)),
                frame(PrivcmdMessage.newBuilder().setHello(Hello.newBuilder().setToken("x")).build())));
        assertFalse(hello.channel().isOpen());

        Harness welcomeAgain = harness();
        write(welcomeAgain.channel(), concat(frame(welcome(WELCOME)), frame(welcome(WELCOME))));
        assertFalse(welcomeAgain.channel().isOpen());
    }

    @Test
    void theHypervisorClosingTheConnectionFailsEveryCallWithAClearMessage() {
        Harness h = harness();
        write(h.channel(), frame(welcome(WELCOME)));
        CompletableFuture<Long> call = h.session().pending().register(1);
        h.channel().close();
        assertEquals("privcmd channel closed: the hypervisor closed the connection", closedCause(call).getMessage());
        assertEquals(0, h.session().pending().outstanding());
    }

    @Test
    void theClientWritesLengthPrefixedMessages() {
        Harness h = harness();
        PrivcmdMessage hello = PrivcmdMessage.newBuilder().setHello(Hello.newBuilder().setToken("t").setPid(5)).build();
        h.channel().writeAndFlush(hello);
        assertEquals(List.of(hello), ClientWire.readOutbound(h.channel()));
    }
}
