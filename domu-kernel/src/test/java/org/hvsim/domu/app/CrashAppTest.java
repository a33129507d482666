package org.hvsim.domu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvsim.domu.testing.KernelHost;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code app=crash}: says what it does, faults, and the hypervisor crashes the domain. */
class CrashAppTest {
    private final KernelHost host;

    CrashAppTest() throws Exception {
        host = KernelHost.start(1);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void readingMemoryTheDomainDoesNotHaveCrashesIt() throws Exception {
        Domain d = host.boot("app=crash", 8, 1);
        String address = "0x" + Long.toHexString(CrashApp.UNPOPULATED_ADDRESS);
        host.console(d).await("crash: reading guest-physical address " + address
                + ", which this domain does not have; the hypervisor will crash it", 10_000);
        TestHost.await(d::isShutdown, 10_000, "the crash");
        assertEquals(ShutdownReason.CRASH.code(), d.shutdownReason());
        String dmesg = host.host().dmesg();
        assertTrue(dmesg.contains("Domain " + d.domid() + " crashed: d" + d.domid() + "v0: unhandled page fault: "
                + "guest memory fault at " + address), dmesg);
        assertTrue(!host.console(d).drain().contains("did not fault"));
    }
}
