package org.hvsim.hv.privcmd;

import java.util.function.Consumer;
import org.hvsim.hv.abi.Errno;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.SchedTraceBatch;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;
import org.hvsim.proto.privcmd.VcpuRunstateResult;

/**
 * What dom0 may inspect over the privcmd channel besides making hypercalls: event channel snapshots,
 * port labels, the event channel trace, vCPU runstates and the scheduler trace. Only the dom0 session
 * reaches this; no guest can.
 */
public interface Dom0Inspection {
    /** For a server whose hypervisor offers no inspection: queries fail with -ENOSYS. */
    Dom0Inspection NONE = new Dom0Inspection() {
        @Override
        public EvtchnQueryResult queryEvtchn(EvtchnQuery query) {
            return EvtchnQueryResult.newBuilder().setId(query.getId()).setError(-Errno.ENOSYS).build();
        }

        @Override
        public void labelEvtchn(EvtchnLabel label) {}

        @Override
        public void traceEvtchn(Consumer<EvtchnTraceBatch> sink) {}

        @Override
        public void traceSched(Consumer<SchedTraceBatch> sink) {}
    };

    /**
     * Answers a query as dom0 sent it (any domid and port: an unknown domain is -ESRCH, a port not
     * valid -EINVAL, in the result). Runs on a virtual thread of its own; must not throw.
     */
    EvtchnQueryResult queryEvtchn(EvtchnQuery query);

    /** Labels a port, or does nothing when the port is not bound. Runs on a virtual thread. */
    void labelEvtchn(EvtchnLabel label);

    /**
     * Starts sending trace batches to {@code sink} (called on the trace's collector thread; never
     * blocks), or stops the trace when {@code sink} is null. Called on the event loop.
     */
    void traceEvtchn(Consumer<EvtchnTraceBatch> sink);

    /**
     * Starts sending scheduler trace batches to {@code sink} (called on the trace's collector thread;
     * never blocks), or stops the trace when {@code sink} is null. Called on the event loop.
     */
    void traceSched(Consumer<SchedTraceBatch> sink);

    /**
     * The runstate of every vCPU of a domain (any domid: an unknown domain is -ESRCH in the result).
     * Runs on a virtual thread of its own; must not throw. Without runstates: -ENOSYS.
     */
    default VcpuRunstateResult queryRunstate(VcpuRunstateQuery query) {
        return VcpuRunstateResult.newBuilder().setId(query.getId()).setError(-Errno.ENOSYS).build();
    }
}
