package org.hvsim.hv.privcmd;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.hvsim.proto.privcmd.HypercallResult;
import org.hvsim.proto.privcmd.PrivcmdMessage;

/**
 * An established dom0 session: hands each hypercall request to the {@link Dom0HypercallHandler} on
 * the hypercall executor, and writes its result back with the request's id.
 *
 * <p>At most {@code maxInFlight} calls run at once. When that many run, or the channel is not
 * writable (dom0 is not reading its results), the relay stops reading the socket (autoRead off)
 * until a call completes; requests already decoded from the last read wait in a backlog, which is
 * therefore bounded by what one read and one partial frame hold (about 128 KiB of frames).
 *
 * <p>A call that {@link Dom0HypercallHandler#neverWaits} runs at once on the event loop (it takes no
 * in-flight slot: it is over before the next frame is read).
 *
 * <p>Threads: the channel's event loop, except {@link #run}, which runs on the hypercall executor
 * and hands its result back to the event loop.
 */
final class HypercallRelay extends ChannelInboundHandlerAdapter {
    private final ServerContext server;
    private final Dom0Session session;
    private final ArrayDeque<Dom0Hypercall> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private int inFlight;

    HypercallRelay(ServerContext server, Dom0Session session) {
        this.server = server;
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!ctx.channel().isActive()) {
            return; // frames decoded after the connection was closed
        }
        Dom0Hypercall call = Dom0Hypercall.decode((PrivcmdMessage) msg, session.nrVcpus());
        if (inFlight < server.maxInFlight() && backlog.isEmpty()) {
            dispatch(call);
        } else {
            backlog.add(call);
        }
        updateAutoRead();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.upcalls().drain();
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        backlog.clear(); // dom0 is gone: nobody would see the results
        ctx.fireChannelInactive();
    }

    /** Hypercalls of this session that are running. For tests; event loop only. */
    int inFlight() {
        return inFlight;
    }

    /** Hypercalls decoded but waiting for a free slot. For tests; event loop only. */
    int backlog() {
        return backlog.size();
    }

    private void dispatch(Dom0Hypercall call) {
        server.counters().countHypercall();
        if (server.handler().neverWaits(call.op(), call.args())) {
            runOnEventLoop(call);
            return;
        }
        inFlight++;
        try {
            server.hypercallExecutor().execute(() -> run(call));
        } catch (RejectedExecutionException shuttingDown) {
            inFlight--;
            ctx.close();
        }
    }

    private void run(Dom0Hypercall call) {
        long result;
        try {
            result = server.handler().hypercall(call.vcpu(), call.op(), call.args());
        } catch (Throwable fault) {
            onEventLoop(() -> handlerFault(call, fault));
            return;
        }
        onEventLoop(() -> complete(call, result));
    }

    private void runOnEventLoop(Dom0Hypercall call) {
        long result;
        try {
            result = server.handler().hypercall(call.vcpu(), call.op(), call.args());
        } catch (Throwable fault) {
            inFlight++; // handlerFault gives it back
            handlerFault(call, fault);
            return;
        }
        reply(call, result);
    }

    private void onEventLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run(); // only when the executor ran the call inline
            return;
        }
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            // The server is closing; the connection goes with it.
        }
    }

    private void complete(Dom0Hypercall call, long result) {
        inFlight--;
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            return;
        }
        reply(call, result);
        while (channel.isActive() && inFlight < server.maxInFlight() && !backlog.isEmpty()) {
            dispatch(backlog.poll());
        }
        updateAutoRead();
    }

    private void reply(Dom0Hypercall call, long result) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(PrivcmdMessage.newBuilder()
                    .setHypercallResult(HypercallResult.newBuilder().setId(call.id()).setResult(result))
                    .build(), ctx.voidPromise());
        }
    }

    private void handlerFault(Dom0Hypercall call, Throwable fault) {
        inFlight--;
        ctx.fireExceptionCaught(new IllegalStateException("the hypercall handler threw on op "
                + Integer.toUnsignedString(call.op()) + " from dom0 vCPU " + call.vcpu(), fault));
    }

    private void updateAutoRead() {
        Channel channel = ctx.channel();
        boolean wanted = channel.isActive() && backlog.isEmpty() && inFlight < server.maxInFlight()
                && channel.isWritable();
        if (channel.config().isAutoRead() != wanted) {
            channel.config().setAutoRead(wanted);
        }
    }
}
