package org.hvsim.domu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.domu.testing.KernelHost.StoreGuest;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The xenstore app booted on an in-process hypervisor, its ring served by the test's xenstored. */
class XenstoreAppTest {
    private final KernelHost host;

    XenstoreAppTest() throws Exception {
        host = KernelHost.start(2);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void writesReadsListsIsRefusedOutsideItsHomeAndEchoesPings() throws Exception {
        StoreGuest g = host.bootWithXenstore("app=xenstore", 8, 1, x -> {
            x.write("name", "xs-guest");
            x.write("domid", Integer.toString(x.domid()));
        });
        GuestConsole console = host.console(g.domain());
        String out = console.await("xenstore: idling\n", 10_000);
        int domid = g.domain().domid();
        assertTrue(out.contains("minios: xenstore ring gfn 2 port "), out);
        for (String line : List.of("xenstore: write data/hello = OK", "xenstore: data/hello = world",
                "xenstore: name = xs-guest", "xenstore: domid = " + domid, "xenstore: data = hello",
                "xenstore: write /local/domain/0/forbidden = EACCES", "xenstore: watch data/ping = OK")) {
            assertTrue(out.contains(line + "\n"), "missing \"" + line + "\" in:\n" + out);
        }
        assertEquals("world", g.xenstored().value("data/hello").orElseThrow());
        g.xenstored().await(x -> x.value("control/feature-poweroff").isPresent(), 10_000,
                "the shutdown watcher, which starts once the app idles");

        g.xenstored().write("data/ping", "42");
        console.await("xenstore: ping = 42\n", 10_000);
        g.xenstored().await(x -> x.value("data/pong").isPresent(), 10_000, "data/pong");
        assertEquals("42", g.xenstored().value("data/pong").orElseThrow());

        g.xenstored().write("control/shutdown", "poweroff");
        TestHost.await(g.domain()::isShutdown, 10_000, "poweroff");
        assertEquals(ShutdownReason.POWEROFF.code(), g.domain().shutdownReason());
        assertEquals("", g.xenstored().value("control/shutdown").orElseThrow());
        assertEquals(List.of(), g.xenstored().problems());
    }

    @Test
    void withoutAXenstoreRingItSaysSoAndPowersOff() throws Exception {
        var d = host.boot("app=xenstore", 8, 1);
        String out = host.console(d).await("powering off", 10_000);
        assertTrue(out.contains("xenstore: this domain has no xenstore ring\n"), out);
        assertTrue(!out.contains("minios: xenstore ring"), out);
        TestHost.await(d::isShutdown, 10_000, "poweroff");
    }
}
