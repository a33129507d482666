package org.hvsim.hv.privcmd;

import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.hvsim.proto.privcmd.Welcome;

/**
 * What every connection of one {@link PrivcmdServer} shares.
 *
 * @param hypercallExecutor runs each hypercall; a virtual thread per call in the server
 */
record ServerContext(
        PrivcmdToken token,
        Supplier<Welcome> welcome,
        SessionSlot slot,
        Dom0HypercallHandler handler,
        Dom0Inspection inspection,
        Executor hypercallExecutor,
        Dom0SessionListener listener,
        PrivcmdCounters counters,
        RateLimitedLog log,
        long helloTimeoutNs,
        int maxInFlight) {}
