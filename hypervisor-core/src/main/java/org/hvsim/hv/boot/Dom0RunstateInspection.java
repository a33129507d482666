package org.hvsim.hv.boot;

import static org.hvsim.hv.abi.Errno.ESRCH;

import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.DomainTable;
import org.hvsim.hv.domain.Vcpu;
import org.hvsim.hv.sched.RunstateInfo;
import org.hvsim.hv.time.HvClock;
import org.hvsim.proto.privcmd.VcpuRunstate;
import org.hvsim.proto.privcmd.VcpuRunstateQuery;
import org.hvsim.proto.privcmd.VcpuRunstateResult;

/**
 * dom0's view of any domain's vCPU runstates over the privcmd channel: for each vCPU, what
 * VCPUOP_get_runstate_info would tell that vCPU about itself (state, state_entry_time and the
 * nanoseconds spent running, runnable, blocked and offline). dom0's own vCPUs are not scheduled by the
 * hypervisor (they are the dom0 process's threads): they show as running, with the process's CPU time.
 *
 * <p>Threads: privcmd virtual threads, concurrently (each snapshot takes the scheduler's lock).
 */
public final class Dom0RunstateInspection {
    private final DomainTable domains;
    private final HvClock clock;

    public Dom0RunstateInspection(DomainTable domains, HvClock clock) {
        this.domains = domains;
        this.clock = clock;
    }

    /** Answers {@code query} as dom0 sent it: any domid; an unknown one is -ESRCH. Never throws. */
    public VcpuRunstateResult query(VcpuRunstateQuery query) {
        VcpuRunstateResult.Builder result = VcpuRunstateResult.newBuilder().setId(query.getId());
        int domid = query.getDomid();
        Domain d = domid >= 0 && domid < DomId.FIRST_RESERVED ? domains.find(domid) : null;
        if (d == null) {
            return result.setError(-ESRCH).build();
        }
        for (int id = 0; id < d.maxVcpus(); id++) {
            Vcpu v = d.vcpu(id);
            if (v != null) {
                result.addVcpus(toMessage(id, v.runstate()));
            }
        }
        return result.setNow(clock.now()).build();
    }

    private static VcpuRunstate toMessage(int vcpu, RunstateInfo r) {
        return VcpuRunstate.newBuilder()
                .setVcpu(vcpu)
                .setState(r.state())
                .setStateEntryTime(r.stateEntryTime())
                .setRunningNs(r.running())
                .setRunnableNs(r.runnable())
                .setBlockedNs(r.blocked())
                .setOfflineNs(r.offline())
                .build();
    }
}
