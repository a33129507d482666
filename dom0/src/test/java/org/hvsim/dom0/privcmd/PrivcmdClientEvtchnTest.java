package org.hvsim.dom0.privcmd;

import static org.hvsim.dom0.privcmd.ClientWire.WELCOME;
import static org.hvsim.dom0.privcmd.ClientWire.concat;
import static org.hvsim.dom0.privcmd.ClientWire.frame;
import static org.hvsim.dom0.privcmd.ClientWire.welcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dom0's side of the event channel messages: query results to their queries, trace batches to the listener. */
class PrivcmdClientEvtchnTest {
    private final ClientSession session = new ClientSession();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    PrivcmdClientEvtchnTest() {
        session.install(channel.pipeline());
        session.failAllWhenClosed(channel);
        session.upcalls().start(vcpu -> { });
        write(frame(welcome(WELCOME)));
    }

    @AfterEach
    void stop() {
        session.upcalls().close();
    }

    private void write(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
    }

    private static PrivcmdMessage queryResult(long id, int error) {
        return PrivcmdMessage.newBuilder()
                .setEvtchnQueryResult(EvtchnQueryResult.newBuilder().setId(id).setError(error)).build();
    }

    private static PrivcmdMessage batch(long dropped) {
        return PrivcmdMessage.newBuilder()
                .setEvtchnTraceBatch(EvtchnTraceBatch.newBuilder().addWords(1).addWords(2).addWords(3).setDropped(dropped))
                .build();
    }

    @Test
    void aQueryResultCompletesItsQueryWhateverTheOrder() {
        CompletableFuture<EvtchnQueryResult> first = session.queries().register(1);
        CompletableFuture<EvtchnQueryResult> second = session.queries().register(2);
        write(concat(frame(queryResult(2, -3)), frame(queryResult(1, 0))));
        assertEquals(-3, second.join().getError());
        assertEquals(1, first.join().getId());
        assertTrue(channel.isOpen());
    }

    @Test
    void aQueryResultNobodyAskedForClosesTheChannelAndFailsTheQueriesOutstanding() {
        CompletableFuture<EvtchnQueryResult> waiting = session.queries().register(1);
        write(frame(queryResult(77, 0)));
        assertFalse(channel.isOpen());
        CompletionException e = assertThrows(CompletionException.class, waiting::join);
        assertTrue(e.getCause() instanceof PrivcmdClosedException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("event channel query id 77"), e.getCause().getMessage());
        assertThrows(PrivcmdClosedException.class, () -> session.queries().register(2), "and every later one");
    }

    @Test
    void traceBatchesGoToTheListenerAndAreDroppedWithoutOne() {
        write(frame(batch(1)));
        assertTrue(channel.isOpen(), "no listener: dropped, not an error");
        List<EvtchnTraceBatch> got = new ArrayList<>();
        session.trace().set(got::add);
        write(concat(frame(batch(2)), frame(batch(3))));
        assertEquals(List.of(2L, 3L), got.stream().map(EvtchnTraceBatch::getDropped).toList());
        session.trace().set(null);
        write(frame(batch(4)));
        assertEquals(2, got.size());
    }
}
