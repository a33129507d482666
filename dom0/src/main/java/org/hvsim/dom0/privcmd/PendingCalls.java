package org.hvsim.dom0.privcmd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests sent and not yet answered (hypercalls, event channel queries), by request id, each
 * waiting for its {@code T}. Once the channel closes, every one of
 * them and every later registration fails with the same {@link PrivcmdClosedException}.
 * Threads: callers register; the event loop completes; whoever sees the channel close fails all.
 */
final class PendingCalls<T> {
    private final ConcurrentHashMap<Long, CompletableFuture<T>> calls = new ConcurrentHashMap<>();
    private volatile PrivcmdClosedException closed;

    /** A future for call {@code id}, completed with its result. */
    CompletableFuture<T> register(long id) {
        throwIfClosed();
        CompletableFuture<T> call = new CompletableFuture<>();
        calls.put(id, call);
        PrivcmdClosedException failure = closed;
        if (failure != null && calls.remove(id, call)) {
            // failAll ran between the check above and the put, and did not see this call
            throw new PrivcmdClosedException(failure.getMessage(), failure);
        }
        return call;
    }

    /** Completes call {@code id}; false if no such call is outstanding. */
    boolean complete(long id, T result) {
        CompletableFuture<T> call = calls.remove(id);
        if (call == null) {
            return false;
        }
        call.complete(result);
        return true;
    }

    /** Fails every outstanding call, and every later one, with {@code failure}. Idempotent. */
    void failAll(PrivcmdClosedException failure) {
        if (closed == null) {
            closed = failure;
        }
        for (Long id : calls.keySet()) {
            CompletableFuture<T> call = calls.remove(id);
            if (call != null) {
                call.completeExceptionally(closed);
            }
        }
    }

    int outstanding() {
        return calls.size();
    }

    private void throwIfClosed() {
        PrivcmdClosedException failure = closed;
        if (failure != null) {
            throw new PrivcmdClosedException(failure.getMessage(), failure);
        }
    }
}
