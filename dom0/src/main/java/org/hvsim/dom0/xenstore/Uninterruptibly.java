package org.hvsim.dom0.xenstore;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for xenstored's dispatch thread from a caller's thread: an interrupt does not abandon a request
 * xenstored is already carrying out (it is remembered and restored), and the task's own exception is thrown
 * as it was.
 */
final class Uninterruptibly {
    private Uninterruptibly() {
    }

    /** {@code f}'s value once it is done; its RuntimeException or Error rethrown, anything else wrapped. */
    static <T> T get(Future<T> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
