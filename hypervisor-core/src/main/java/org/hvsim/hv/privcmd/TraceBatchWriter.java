package org.hvsim.hv.privcmd;

import io.netty.channel.Channel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.PrivcmdMessage;

/**
 * Writes event channel trace batches to dom0. A batch is dropped, and its events counted in the next
 * batch's {@code dropped}, when dom0 is not reading (the channel is not writable) or
 * {@value #MAX_QUEUED} batches already wait for the event loop: a slow dom0 loses trace events,
 * never holds up the collector or the senders behind it.
 *
 * <p>Threads: {@link #accept} on the trace's collector thread; writes on the channel's event loop.
 */
final class TraceBatchWriter implements Consumer<EvtchnTraceBatch> {
    static final int MAX_QUEUED = 4;

    private final Channel channel;
    private final AtomicInteger queued = new AtomicInteger();
    /** Events dropped here, not yet reported; event loop only. */
    private long lost;

    TraceBatchWriter(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void accept(EvtchnTraceBatch batch) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            int events = batch.getWordsCount() / 3;
            try {
                channel.eventLoop().execute(() -> lost += events + batch.getDropped());
            } catch (RejectedExecutionException closing) {
                // the session is ending; nobody reads the count
            }
            return;
        }
        try {
            channel.eventLoop().execute(() -> write(batch));
        } catch (RejectedExecutionException closing) {
            queued.decrementAndGet();
        }
    }

    private void write(EvtchnTraceBatch batch) {
        queued.decrementAndGet();
        if (!channel.isActive()) {
            return;
        }
        if (!channel.isWritable()) {
            lost += batch.getWordsCount() / 3 + batch.getDropped();
            return;
        }
        EvtchnTraceBatch out = lost == 0 ? batch : batch.toBuilder().setDropped(batch.getDropped() + lost).build();
        lost = 0;
        channel.writeAndFlush(PrivcmdMessage.newBuilder().setEvtchnTraceBatch(out).build(), channel.voidPromise());
    }
}
