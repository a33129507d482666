package org.hvsim.hv.memory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TranslationGuardTest {

    @Test
    void synchronizeReturnsAtOnceWithNoAccessInFlight() {
        TranslationGuard g = new TranslationGuard();
        g.exit(g.enter());
        g.synchronize();
        g.synchronize();
    }

    @Test
    void synchronizeWaitsForAnAccessThatStartedBeforeItButNotForLaterOnes() throws Exception {
        TranslationGuard g = new TranslationGuard();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            int token = g.enter();
            inside.countDown();
            try {
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            g.exit(token);
        });
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        int first = g.enter();
        int before = first & 1;
        g.exit(first);
        CountDownLatch synced = new CountDownLatch(1);
        Thread freer = Thread.ofPlatform().start(() -> {
            g.synchronize();
            synced.countDown();
        });
        // Wait (bounded) until the freer has flipped the phase: new accesses then use the other counter.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int token;
        while (true) {
            token = g.enter();
            if ((token & 1) != before) {
                break;
            }
            g.exit(token);
            assertTrue(System.nanoTime() < deadline, "the phase never flipped");
            Thread.onSpinWait();
        }
        // A later access is in flight too, yet only the earlier one holds the freer back.
        assertFalse(synced.await(0, TimeUnit.MILLISECONDS), "synchronize returned while an earlier access was in flight");
        leave.countDown();
        assertTrue(synced.await(10, TimeUnit.SECONDS), "synchronize did not return after the access ended");
        g.exit(token);
        reader.join();
        freer.join();
    }
}
