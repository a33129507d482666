package org.hvsim.dom0.privcmd;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.HypercallResult;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.VcpuRunstateResult;

/**
 * What the hypervisor sends after the Welcome: hypercall, event channel query and runstate query results, handed to
 * the waiting callers by request id, event upcalls, handed to the {@link UpcallDispatcher}, and
 * event channel trace batches, handed to the {@link TraceListener}. A result for a call that is
 * not outstanding, an upcall for a vCPU dom0 does not have, or any other message closes the channel.
 * Threads: the channel's event loop.
 */
final class HypervisorMessageAdapter extends ChannelInboundHandlerAdapter {
    private final ClientSession session;
    private final int nrVcpus;

    HypervisorMessageAdapter(ClientSession session, int nrVcpus) {
        this.session = session;
        this.nrVcpus = nrVcpus;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!ctx.channel().isActive()) {
            return; // frames decoded after the channel was closed
        }
        PrivcmdMessage message = (PrivcmdMessage) msg;
        switch (message.getBodyCase()) {
            case HYPERCALL_RESULT -> {
                HypercallResult result = message.getHypercallResult();
                if (!session.pending().complete(result.getId(), result.getResult())) {
                    throw new PrivcmdProtocolException("a result for hypercall id "
                            + Long.toUnsignedString(result.getId()) + ", which is not outstanding");
                }
            }
            case UPCALL -> {
                int vcpu = message.getUpcall().getVcpu();
                if (Integer.compareUnsigned(vcpu, nrVcpus) >= 0) {
                    throw new PrivcmdProtocolException("an upcall for vCPU " + Integer.toUnsignedString(vcpu)
                            + "; dom0 has " + nrVcpus);
                }
                session.upcalls().raise(vcpu);
            }
            case EVTCHN_QUERY_RESULT -> {
                EvtchnQueryResult result = message.getEvtchnQueryResult();
                if (!session.queries().complete(result.getId(), result)) {
                    throw new PrivcmdProtocolException("a result for event channel query id "
                            + Long.toUnsignedString(result.getId()) + ", which is not outstanding");
                }
            }
            case VCPU_RUNSTATE_RESULT -> {
                VcpuRunstateResult result = message.getVcpuRunstateResult();
                if (!session.runstates().complete(result.getId(), result)) {
                    throw new PrivcmdProtocolException("a result for runstate query id "
                            + Long.toUnsignedString(result.getId()) + ", which is not outstanding");
                }
            }
            case EVTCHN_TRACE_BATCH -> session.trace().deliver(message.getEvtchnTraceBatch());
            case SCHED_TRACE_BATCH -> session.schedTrace().deliver(message.getSchedTraceBatch());
            default -> throw new PrivcmdProtocolException("the hypervisor sent " + message.getBodyCase()
                    + " after the Welcome");
        }
    }
}
