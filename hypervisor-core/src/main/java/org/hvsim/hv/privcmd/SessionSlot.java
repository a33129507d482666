package org.hvsim.hv.privcmd;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place a dom0 session may occupy. A connection claims it once its token checks out, and
 * establishes its session once its Welcome is written; it is released when that connection closes.
 * Threads: claimed, established and released on event loops; {@link #established()} from any thread.
 */
final class SessionSlot {
    private final AtomicReference<Channel> owner = new AtomicReference<>();
    private volatile Dom0Session established;

    /** Takes the slot for {@code channel}, unless another connection holds it. */
    boolean tryClaim(Channel channel) {
        return owner.compareAndSet(null, channel);
    }

    /** Makes {@code session}, whose channel holds the slot, the one upcalls go to. */
    void establish(Dom0Session session) {
        if (owner.get() != session.channel()) {
            throw new IllegalStateException("establishing a session whose channel does not hold the slot");
        }
        established = session;
    }

    /**
     * Frees the slot if {@code channel} holds it.
     *
     * @return the session that was established on {@code channel}, or null if there was none
     */
    Dom0Session release(Channel channel) {
        if (owner.get() != channel) {
            return null;
        }
        Dom0Session session = established;
        established = null;
        owner.set(null);
        return session != null && session.channel() == channel ? session : null;
    }

    /** The established session, or null. */
    Dom0Session established() {
        return established;
    }
}
