package org.hvsim.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class whose tests share one real host (1 GiB, 2 pCPUs), started before its first test and stopped
 * after its last, with every process it started; each test's leftover domains are destroyed after it.
 * Test classes run one at a time (failsafe's default), so the fields belong to the class that runs.
 */
abstract class HostPerClass {
    protected static Host host;
    protected static Guests guests;

    @BeforeAll
    static void startHost() throws Exception {
        host = Host.start("1G", 2);
        guests = new Guests(host);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
            host = null;
        }
    }

    @AfterEach
    void destroyLeftovers() {
        guests.destroyAll();
    }
}
