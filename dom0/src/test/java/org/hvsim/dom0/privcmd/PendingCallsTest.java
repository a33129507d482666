package org.hvsim.dom0.privcmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class PendingCallsTest {
    private final PendingCalls<Long> pending = new PendingCalls<Long>();

    @Test
    void eachResultGoesToItsCallOnce() {
        CompletableFuture<Long> a = pending.register(1);
        CompletableFuture<Long> b = pending.register(2);
        assertTrue(pending.complete(2, 20L));
        assertTrue(pending.complete(1, 10L));
        assertFalse(pending.complete(1, 11L));
        assertEquals(10L, a.join());
        assertEquals(20L, b.join());
        assertEquals(0, pending.outstanding());
    }

    @Test
    void failAllFailsOutstandingAndLaterCalls() {
        CompletableFuture<Long> a = pending.register(1);
        PrivcmdClosedException closed = new PrivcmdClosedException("privcmd channel closed: test");
        pending.failAll(closed);
        CompletionException e = assertThrows(CompletionException.class, a::join);
        assertSame(closed, e.getCause());
        PrivcmdClosedException later = assertThrows(PrivcmdClosedException.class, () -> pending.register(2));
        assertEquals("privcmd channel closed: test", later.getMessage());
        assertFalse(pending.complete(1, 0L));
    }
}
