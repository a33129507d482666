package org.hvsim.hv.privcmd;

import io.netty.channel.Channel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.SchedTraceBatch;

/**
 * Writes trace batches (event channel or scheduler) to dom0. A batch is dropped, and its events
 * counted in the next batch's {@code dropped}, when dom0 is not reading (the channel is not writable)
 * or {@value #MAX_QUEUED} batches already wait for the event loop: a slow dom0 loses trace events,
 * never holds up the collector or the recorders behind it.
 *
 * <p>Threads: {@link #accept} on the trace's collector thread; writes on the channel's event loop.
 *
 * @param <B> the batch message
 */
final class TraceBatchWriter<B> implements Consumer<B> {
    static final int MAX_QUEUED = 4;
    private static final int WORDS = 3;

    /** What the writer needs to know of a batch message: its words and drops, and how to send it. */
    record Format<B>(ToIntFunction<B> words, ToLongFunction<B> dropped, BiFunction<B, Long, B> withDropped,
                     Function<B, PrivcmdMessage> wrap) {}

    static final Format<EvtchnTraceBatch> EVTCHN = new Format<>(EvtchnTraceBatch::getWordsCount,
            EvtchnTraceBatch::getDropped, (b, d) -> b.toBuilder().setDropped(d).build(),
            b -> PrivcmdMessage.newBuilder().setEvtchnTraceBatch(b).build());

    static final Format<SchedTraceBatch> SCHED = new Format<>(SchedTraceBatch::getWordsCount,
            SchedTraceBatch::getDropped, (b, d) -> b.toBuilder().setDropped(d).build(),
            b -> PrivcmdMessage.newBuilder().setSchedTraceBatch(b).build());

    private final Channel channel;
    private final Format<B> format;
    private final AtomicInteger queued = new AtomicInteger();
    /** Events dropped here, not yet reported; event loop only. */
    private long lost;

    TraceBatchWriter(Channel channel, Format<B> format) {
        this.channel = channel;
        this.format = format;
    }

    @Override
    public void accept(B batch) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            long events = events(batch);
            try {
                channel.eventLoop().execute(() -> lost += events);
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

    private void write(B batch) {
        queued.decrementAndGet();
        if (!channel.isActive()) {
            return;
        }
        if (!channel.isWritable()) {
            lost += events(batch);
            return;
        }
        B out = lost == 0 ? batch : format.withDropped().apply(batch, format.dropped().applyAsLong(batch) + lost);
        lost = 0;
        channel.writeAndFlush(format.wrap().apply(out), channel.voidPromise());
    }

    /** The events a batch stands for: its records and those it already reports lost. */
    private long events(B batch) {
        return format.words().applyAsInt(batch) / WORDS + format.dropped().applyAsLong(batch);
    }
}
