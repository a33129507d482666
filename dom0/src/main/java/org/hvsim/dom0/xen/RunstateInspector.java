package org.hvsim.dom0.xen;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.hvsim.dom0.privcmd.PrivcmdClosedException;
import org.hvsim.proto.privcmd.VcpuRunstate;
import org.hvsim.proto.privcmd.VcpuRunstateResult;

/**
 * What dom0's tools see of where a domain's vCPUs spent their time: each vCPU's state (running,
 * runnable, blocked, offline), since when, and the nanoseconds in each state so far (the struct
 * vcpu_runstate_info a guest reads about itself with VCPUOP_get_runstate_info). Thread-safe.
 */
public final class RunstateInspector {
    private final RunstateIntrospection hv;

    public RunstateInspector(RunstateIntrospection hv) {
        this.hv = hv;
    }

    /**
     * The runstates of every vCPU of {@code domid}, taken at one moment.
     *
     * @throws XenError -ESRCH for an unknown domain
     * @throws PrivcmdClosedException if the channel to the hypervisor closes
     */
    public Snapshot runstates(int domid) {
        VcpuRunstateResult r;
        try {
            r = hv.query(domid).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof PrivcmdClosedException closed) {
                throw closed;
            }
            throw e;
        }
        if (r.getError() != 0) {
            throw new XenError("vCPU runstates of d" + Integer.toUnsignedString(domid), r.getError());
        }
        return new Snapshot(r.getNow(), r.getVcpusList());
    }

    /**
     * @param now   hypervisor system time (ns) of the snapshot
     * @param vcpus the domain's vCPUs, in vCPU order
     */
    public record Snapshot(long now, List<VcpuRunstate> vcpus) {
        /** vCPU {@code vcpu}'s runstate, if the domain has that vCPU. */
        public Optional<VcpuRunstate> vcpu(int vcpu) {
            return vcpus.stream().filter(v -> v.getVcpu() == vcpu).findFirst();
        }
    }
}
