package org.hvsim.hv.abi.xenstore;

/**
 * Where a guest's workload leaves its result for the toolstack (hvsim's convention, in the guest-writable
 * {@code data/} area of its xenstore directory, as Xen reserves {@code ~/data/*} for guests): one JSON
 * object, as text, at {@code /local/domain/<domid>/data/workload-result}. The toolstack treats it as the
 * guest's say-so: it checks it is one JSON object of at most {@link #MAX_BYTES} and passes it on.
 */
public final class WorkloadResult {
    /** The node, relative to the domain's directory. */
    public static final String NODE = "data/workload-result";
    /** The largest result a guest may leave (a xenstore value fits one request's payload). */
    public static final int MAX_BYTES = 3072;

    private WorkloadResult() {}
}
