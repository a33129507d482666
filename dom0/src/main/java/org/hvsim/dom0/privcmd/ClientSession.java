package org.hvsim.dom0.privcmd;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import java.util.concurrent.CompletableFuture;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.SchedTraceBatch;
import org.hvsim.proto.privcmd.VcpuRunstateResult;
import org.hvsim.proto.privcmd.Welcome;

/**
 * The state of one connection to the hypervisor, shared by its pipeline and the
 * {@link PrivcmdClient}: the Welcome to come, the calls and queries (event channel, runstate) outstanding, the upcalls and trace batches to deliver and why
 * the channel closed. Threads: see each part.
 */
record ClientSession(
        CompletableFuture<Welcome> welcome,
        PendingCalls<Long> pending,
        PendingCalls<EvtchnQueryResult> queries,
        UpcallDispatcher upcalls,
        TraceListener<EvtchnTraceBatch> trace,
        TraceListener<SchedTraceBatch> schedTrace,
        CloseCause closeCause,
        PendingCalls<VcpuRunstateResult> runstates) {

    ClientSession() {
        this(new CompletableFuture<>(), new PendingCalls<>(), new PendingCalls<>(), new UpcallDispatcher(),
                new TraceListener<>(), new TraceListener<>(), new CloseCause(), new PendingCalls<>());
    }

    /** Builds the pipeline: framing, the Welcome handler, the error handler last. */
    void install(ChannelPipeline pipeline) {
        PrivcmdFraming.install(pipeline);
        pipeline.addLast("welcome", new WelcomeHandler(this));
        pipeline.addLast("errors", new ClientErrorHandler(closeCause));
    }

    /** When {@code channel} closes: fails the Welcome if it has not come, and every call. */
    void failAllWhenClosed(Channel channel) {
        channel.closeFuture().addListener(closed -> {
            PrivcmdClosedException failure = new PrivcmdClosedException(closeCause.describe());
            welcome.completeExceptionally(failure);
            pending.failAll(failure);
            queries.failAll(failure);
            runstates.failAll(failure);
            upcalls.stop();
        });
    }
}
