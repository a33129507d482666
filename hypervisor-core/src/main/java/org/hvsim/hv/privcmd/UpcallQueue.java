package org.hvsim.hv.privcmd;

import io.netty.channel.Channel;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.hvsim.proto.privcmd.EventUpcall;
import org.hvsim.proto.privcmd.PrivcmdMessage;

/**
 * The event upcalls waiting to be written to one dom0 session, in the order they were raised, at most
 * one per vCPU: raising a vCPU that is already waiting adds nothing, since dom0 scans all its pending
 * events on each upcall. A vCPU stops waiting just before its upcall is written, so an event raised
 * after that point gets an upcall of its own and none is lost. While the channel is not writable
 * (dom0 is not reading), upcalls wait here, so they take at most one entry per vCPU.
 * Threads: {@link #raise} from any thread; {@link #drain} on the channel's event loop only.
 */
final class UpcallQueue {
    private final Channel channel;
    private final PrivcmdMessage[] messages;
    private final AtomicIntegerArray waiting;
    private final Queue<Integer> order = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    UpcallQueue(Channel channel, int nrVcpus) {
        this.channel = channel;
        this.messages = new PrivcmdMessage[nrVcpus];
        for (int vcpu = 0; vcpu < nrVcpus; vcpu++) {
            messages[vcpu] = PrivcmdMessage.newBuilder()
                    .setUpcall(EventUpcall.newBuilder().setVcpu(vcpu))
                    .build();
        }
        this.waiting = new AtomicIntegerArray(nrVcpus);
    }

    /**
     * Queues an upcall for {@code vcpu} unless one is already waiting.
     *
     * @throws IndexOutOfBoundsException if dom0 has no such vCPU
     */
    void raise(int vcpu) {
        Objects.checkIndex(vcpu, messages.length);
        if (!waiting.compareAndSet(vcpu, 0, 1)) {
            return;
        }
        order.add(vcpu);
        if (channel.eventLoop().inEventLoop()) {
            drain();
        } else if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException shuttingDown) {
                drainScheduled.set(false);
            }
        }
    }

    /** Writes the waiting upcalls while the channel is writable. */
    void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        while (channel.isWritable()) {
            Integer vcpu = order.poll();
            if (vcpu == null) {
                break;
            }
            waiting.set(vcpu, 0);
            channel.write(messages[vcpu], channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }
}
