package org.hvsim.domu.testing;

import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;

/**
 * A domain's PV console as the test sees it: everything drained so far, kept in one string (draining
 * consumes the ring, as xenconsoled does). Threads: the test thread only.
 */
public final class GuestConsole {
    private final TestHost host;
    private final Domain domain;
    private final StringBuilder seen = new StringBuilder();

    public GuestConsole(TestHost host, Domain domain) {
        this.host = host;
        this.domain = domain;
    }

    /** Drains the ring once; returns everything seen so far. */
    public String drain() {
        seen.append(host.drainConsole(domain));
        return seen.toString();
    }

    /** Drains until the output contains {@code text}, for at most {@code timeoutMs}; returns all output. */
    public String await(String text, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!drain().contains(text)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for console output \""
                        + text + "\"; the console showed:\n" + seen);
            }
            Thread.onSpinWait();
        }
        return seen.toString();
    }

    /** Everything seen so far, without draining. */
    public String seen() {
        return seen.toString();
    }
}
