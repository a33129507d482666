package org.hvsim.hv.privcmd;

import static org.hvsim.hv.privcmd.PrivcmdWire.frame;
import static org.hvsim.hv.privcmd.ServerPipelineHarness.readOutbound;
import static org.hvsim.hv.privcmd.ServerPipelineHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.hvsim.hv.abi.Errno;
import org.hvsim.proto.privcmd.EvtchnLabel;
import org.hvsim.proto.privcmd.EvtchnQuery;
import org.hvsim.proto.privcmd.EvtchnQueryResult;
import org.hvsim.proto.privcmd.EvtchnTraceBatch;
import org.hvsim.proto.privcmd.HypercallResult;
import org.hvsim.proto.privcmd.PrivcmdMessage;
import org.hvsim.proto.privcmd.VcpuRunstate;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;
import org.hvsim.proto.privcmd.VcpuRunstateResult;
import org.junit.jupiter.api.Test;

/** VcpuRunstateQuery on the server pipeline: answered by the inspection with the query's id, among hypercalls. */
class PrivcmdRunstatePipelineTest {
    /** One vCPU per query, numbered as the query's domid. */
    private static final Dom0Inspection RUNSTATES = new Dom0Inspection() {
        @Override
        public EvtchnQueryResult queryEvtchn(EvtchnQuery query) {
            throw new AssertionError("not asked");
        }

        @Override
        public void labelEvtchn(EvtchnLabel label) {}

        @Override
        public void traceEvtchn(java.util.function.Consumer<EvtchnTraceBatch> sink) {}

        @Override
        public void traceSched(java.util.function.Consumer<org.hvsim.proto.privcmd.SchedTraceBatch> sink) {}

        @Override
        public VcpuRunstateResult queryRunstate(VcpuRunstateQuery query) {
            return VcpuRunstateResult.newBuilder().setId(query.getId()).setNow(5)
                    .addVcpus(VcpuRunstate.newBuilder().setVcpu(query.getDomid()).setState(2).setBlockedNs(5))
                    .build();
        }
    };

    private static PrivcmdMessage query(long id, int domid) {
        return PrivcmdMessage.newBuilder()
                .setVcpuRunstateQuery(VcpuRunstateQuery.newBuilder().setId(id).setDomid(domid)).build();
    }

    @Test
    void runstateQueriesAreAnsweredWithTheirIdsInOrderWithHypercalls() {
        ServerPipelineHarness harness = new ServerPipelineHarness(ServerPipelineHarness::sumHandler, RUNSTATES,
                Runnable::run, PrivcmdLimits.DEFAULT_MAX_IN_FLIGHT);
        EmbeddedChannel channel = harness.authenticatedChannel(7);
        write(channel, frame(query(11, 3)));
        write(channel, frame(PrivcmdWire.hypercall(12, 0, 17, 1)));
        write(channel, frame(query(13, 4)));
        List<PrivcmdMessage> out = readOutbound(channel);
        assertEquals(3, out.size());
        assertEquals(11, out.get(0).getVcpuRunstateResult().getId());
        assertEquals(3, out.get(0).getVcpuRunstateResult().getVcpus(0).getVcpu());
        assertEquals(HypercallResult.newBuilder().setId(12).setResult(18).build(), out.get(1).getHypercallResult());
        assertEquals(13, out.get(2).getVcpuRunstateResult().getId());
        assertEquals(4, out.get(2).getVcpuRunstateResult().getVcpus(0).getVcpu());
        assertTrue(channel.isActive());
    }

    @Test
    void onlyAnAuthenticatedDom0MayAsk() {
        ServerPipelineHarness harness = new ServerPipelineHarness(ServerPipelineHarness::sumHandler, RUNSTATES,
                Runnable::run, PrivcmdLimits.DEFAULT_MAX_IN_FLIGHT);
        EmbeddedChannel channel = harness.newChannel();
        write(channel, frame(query(1, 0)));
        assertFalse(channel.isOpen());
        assertTrue(readOutbound(channel).isEmpty(), "no answer before the Hello");
        assertEquals(1, harness.counters.closed(CloseReason.NOT_HELLO));
    }

    @Test
    void aHypervisorWithoutInspectionAnswersEnosys() {
        ServerPipelineHarness harness = new ServerPipelineHarness(ServerPipelineHarness::sumHandler,
                Dom0Inspection.NONE, Runnable::run, PrivcmdLimits.DEFAULT_MAX_IN_FLIGHT);
        EmbeddedChannel channel = harness.authenticatedChannel(7);
        write(channel, frame(query(21, 0)));
        VcpuRunstateResult r = readOutbound(channel).getFirst().getVcpuRunstateResult();
        assertEquals(21, r.getId());
        assertEquals(-Errno.ENOSYS, r.getError());
        assertTrue(channel.isActive());
    }
}
