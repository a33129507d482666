package org.hvsim.hv.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Keeps a frame that was removed from a domain's P2M from being scrubbed or handed to another domain
 * while an access that translated through the old entry may still be using it. Xen gets the same
 * guarantee by flushing TLBs before a freed page is reused ({@code tlbflush_timestamp}); here every
 * access through a {@link DomainGuestMemory} is bracketed by {@link #enter}/{@link #exit}, and the
 * freeing side calls {@link #synchronize} between changing the P2M and freeing the frames.
 *
 * <p>It is a two-phase reader count, striped by thread: a reader increments the counter of the current
 * phase on its stripe; {@code synchronize} flips the phase and waits until the old phase's counters have
 * drained. A reader that incremented the old phase too late to be seen by the wait translates after the
 * P2M change and so cannot hold the old frame. Readers never block; accesses are short (at most one page
 * is copied per enter/exit), so the wait is too.
 *
 * <p>Threads: {@code enter}/{@code exit} from any thread; {@code synchronize} from one thread at a time
 * (the holder of the {@link HostMemory} lock).
 */
final class TranslationGuard {
    private static final int STRIPES = 32;
    /** longs per stripe: two counters on their own 128-byte line. */
    private static final int STRIDE = 16;
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(TranslationGuard.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] counts = new long[STRIPES * STRIDE];
    @SuppressWarnings("unused") // accessed through PHASE
    private volatile int phase;

    /** Starts an access; returns the token to give to {@link #exit}. */
    int enter() {
        long id = Thread.currentThread().threadId();
        int stripe = (int) ((id * 0x9E37_79B9_7F4A_7C15L) >>> 59);
        int slot = stripe * STRIDE + (int) PHASE.getVolatile(this);
        COUNT.getAndAdd(counts, slot, 1L);
        return slot;
    }

    void exit(int token) {
        COUNT.getAndAdd(counts, token, -1L);
    }

    /** Waits until every access that could have translated before this call has ended. */
    void synchronize() {
        int old = (int) PHASE.getVolatile(this);
        PHASE.setVolatile(this, old ^ 1);
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            int slot = stripe * STRIDE + old;
            for (int spins = 0; (long) COUNT.getVolatile(counts, slot) != 0; spins++) {
                if (spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }
}
