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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.VcpuRunstate;
import org.hvsim.proto.privcmd.VcpuRunstateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dom0's side of the runstate messages: each result to its query, by id; a stray one closes the channel. */
class PrivcmdClientRunstateTest {
    private final ClientSession session = new ClientSession();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    PrivcmdClientRunstateTest() {
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

    private static PrivcmdMessage result(long id, int error, int vcpus) {
        VcpuRunstateResult.Builder r = VcpuRunstateResult.newBuilder().setId(id).setError(error).setNow(1_000);
        for (int v = 0; v < vcpus; v++) {
            r.addVcpus(VcpuRunstate.newBuilder().setVcpu(v).setState(2).setBlockedNs(1_000));
        }
        return PrivcmdMessage.newBuilder().setVcpuRunstateResult(r).build();
    }

    @Test
    void aResultCompletesItsQueryWhateverTheOrderAndApartFromEventChannelQueries() {
        CompletableFuture<VcpuRunstateResult> first = session.runstates().register(1);
        CompletableFuture<VcpuRunstateResult> second = session.runstates().register(2);
        CompletableFuture<EvtchnQueryResult> evtchn = session.queries().register(3);
        write(concat(frame(result(2, -3, 0)), frame(result(1, 0, 2))));
        assertEquals(-3, second.join().getError());
        assertEquals(2, first.join().getVcpusCount());
        assertFalse(evtchn.isDone(), "an event channel query waits for its own result");
        assertTrue(channel.isOpen());
    }

    @Test
    void aResultNobodyAskedForClosesTheChannelAndFailsEveryQueryOutstanding() {
        CompletableFuture<VcpuRunstateResult> waiting = session.runstates().register(1);
        write(frame(result(77, 0, 1)));
        assertFalse(channel.isOpen());
        CompletionException e = assertThrows(CompletionException.class, waiting::join);
        assertTrue(e.getCause() instanceof PrivcmdClosedException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("runstate query id 77"), e.getCause().getMessage());
        assertThrows(PrivcmdClosedException.class, () -> session.runstates().register(2), "and every later one");
    }

    @Test
    void anEventChannelResultWithARunstateQuerysIdIsStray() {
        CompletableFuture<VcpuRunstateResult> waiting = session.runstates().register(5);
        write(frame(PrivcmdMessage.newBuilder().setEvtchnQueryResult(EvtchnQueryResult.newBuilder().setId(5)).build()));
        assertFalse(channel.isOpen());
        assertThrows(CompletionException.class, waiting::join);
    }
}
