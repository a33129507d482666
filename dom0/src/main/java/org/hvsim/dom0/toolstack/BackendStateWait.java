package org.hvsim.dom0.toolstack;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.hvsim.dom0.xenstore.XenstoreClient;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.hv.abi.xenbus.XenbusState;

/**
 * Waits, with a watch, for a device backend's {@code state} node to reach a state (libxl's
 * {@code libxl__wait_for_backend} / {@code libxl__ev_devstate}): the answer is the state read when the
 * condition held, or empty at the deadline (or when the node is gone).
 *
 * <p>Threads: the caller waits; the watch's events arrive on the xenstore client's thread.
 */
final class BackendStateWait {
    private static final AtomicLong TOKENS = new AtomicLong();

    private BackendStateWait() {}

    /** The backend's state once {@code until} holds for it, or -1 if it did not within {@code timeout}. */
    static int await(XenstoreClient xs, String backendPath, IntPredicate until, Duration timeout)
            throws InterruptedException {
        String path = backendPath + "/state";
        String token = "hvsim-devstate-" + TOKENS.incrementAndGet();
        CompletableFuture<Integer> reached = new CompletableFuture<>();
        xs.watch(path, token, (changed, t) -> {
            int s = read(xs, path);
            if (s >= 0 && until.test(s)) {
                reached.complete(s);
            }
        });
        try {
            return reached.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return -1;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            try {
                xs.unwatch(path, token);
            } catch (RuntimeException e) {
                // the client is closing; the watch goes with it
            }
        }
    }

    /** The state number at {@code path}, or -1 when the node is absent or not a state. */
    static int read(XenstoreClient xs, String path) {
        try {
            XenbusState s = XenbusState.parse(xs.readString(path));
            return s == null ? -1 : s.number();
        } catch (XenstoreException | IllegalArgumentException e) {
            return -1;
        }
    }
}
