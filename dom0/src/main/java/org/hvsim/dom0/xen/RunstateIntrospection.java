package org.hvsim.dom0.xen;

import java.util.concurrent.CompletableFuture;
import org.hvsim.proto.privcmd.VcpuRunstateResult;

/**
 * How dom0 asks the hypervisor for a domain's vCPU runstates (the privcmd channel's
 * VcpuRunstateQuery: XEN_DOMCTL_getvcpuinfo carries no times). Thread-safe.
 */
@FunctionalInterface
public interface RunstateIntrospection {
    /** The runstates of every vCPU of {@code domid}; completes exceptionally if the channel closes. */
    CompletableFuture<VcpuRunstateResult> query(int domid);
}
