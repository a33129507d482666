package org.hvsim.hv.privcmd;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.HypercallResult;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;

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
 * <p>Event channel queries and labels, and vCPU runstate queries, are requests too, with the same slots and backlog as
 * hypercalls; trace control starts or stops the session's trace, which ends with the session.
 *
 * <p>Threads: the channel's event loop, except {@link #run}, which runs on the hypercall executor
 * and hands its result back to the event loop.
 */
final class HypercallRelay extends ChannelInboundHandlerAdapter {
    private final ServerContext server;
    private final Dom0Session session;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private int inFlight;
    private boolean tracing;
    /** Whether this session runs the scheduler trace; event loop only. */
    private boolean schedTracing;

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
        PrivcmdMessage message = (PrivcmdMessage) msg;
        Object request = switch (message.getBodyCase()) {
            case EVTCHN_QUERY -> message.getEvtchnQuery();
            case EVTCHN_LABEL -> message.getEvtchnLabel();
            case VCPU_RUNSTATE_QUERY -> message.getVcpuRunstateQuery();
            case EVTCHN_TRACE_CONTROL -> {
                traceControl(message.getEvtchnTraceControl().getEnabled());
                yield null;
            }
            case SCHED_TRACE_CONTROL -> {
                schedTraceControl(message.getSchedTraceControl().getEnabled());
                yield null;
            }
            default -> Dom0Hypercall.decode(message, session.nrVcpus());
        };
        if (request == null) {
            return;
        }
        if (inFlight < server.maxInFlight() && backlog.isEmpty()) {
            dispatch(request);
        } else {
            backlog.add(request);
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
        traceControl(false);
        schedTraceControl(false);
        ctx.fireChannelInactive();
    }

    private void traceControl(boolean enabled) {
        if (enabled == tracing) {
            return;
        }
        tracing = enabled;
        server.inspection().traceEvtchn(enabled ? new TraceBatchWriter<>(ctx.channel(), TraceBatchWriter.EVTCHN) : null);
    }

    private void schedTraceControl(boolean enabled) {
        if (enabled == schedTracing) {
            return;
        }
        schedTracing = enabled;
        server.inspection().traceSched(enabled ? new TraceBatchWriter<>(ctx.channel(), TraceBatchWriter.SCHED) : null);
    }

    /** Hypercalls of this session that are running. For tests; event loop only. */
    int inFlight() {
        return inFlight;
    }

    /** Hypercalls decoded but waiting for a free slot. For tests; event loop only. */
    int backlog() {
        return backlog.size();
    }

    private void dispatch(Object request) {
        switch (request) {
            case Dom0Hypercall call -> dispatchHypercall(call);
            case EvtchnQuery query -> runElsewhere(() -> {
                EvtchnQueryResult result = server.inspection().queryEvtchn(query);
                return PrivcmdMessage.newBuilder().setEvtchnQueryResult(result).build();
            });
            case VcpuRunstateQuery query -> runElsewhere(() -> PrivcmdMessage.newBuilder()
                    .setVcpuRunstateResult(server.inspection().queryRunstate(query)).build());
            case EvtchnLabel label -> runElsewhere(() -> {
                server.inspection().labelEvtchn(label);
                return null;
            });
            default -> throw new IllegalStateException("not a request: " + request);
        }
    }

    /** Runs {@code work} on the hypercall executor in an in-flight slot; writes what it returns, if anything. */
    private void runElsewhere(Supplier<PrivcmdMessage> work) {
        inFlight++;
        try {
            server.hypercallExecutor().execute(() -> {
                PrivcmdMessage reply;
                try {
                    reply = work.get();
                } catch (Throwable fault) {
                    onEventLoop(() -> {
                        inFlight--;
                        ctx.fireExceptionCaught(new IllegalStateException("dom0's inspection request failed", fault));
                    });
                    return;
                }
                onEventLoop(() -> completed(reply));
            });
        } catch (RejectedExecutionException shuttingDown) {
            inFlight--;
            ctx.close();
        }
    }

    private void completed(PrivcmdMessage reply) {
        inFlight--;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (reply != null) {
            ctx.writeAndFlush(reply, ctx.voidPromise());
        }
        drainBacklog();
    }

    private void dispatchHypercall(Dom0Hypercall call) {
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
        drainBacklog();
    }

    private void drainBacklog() {
        Channel channel = ctx.channel();
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
