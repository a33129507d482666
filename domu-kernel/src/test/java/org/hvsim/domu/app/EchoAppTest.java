package org.hvsim.domu.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.hv.abi.ConsoleInterface;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.evtchn.EventChannelManager;
import org.hvsim.hv.evtchn.TwoLevelAbi;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code app=echo}: console input written by dom0 into the {@code in} ring comes back on {@code out}. */
class EchoAppTest {
    private final KernelHost host;

    EchoAppTest() throws Exception {
        host = KernelHost.start(1);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void inputComesBackAndDom0IsNotified() throws Exception {
        Domain d = host.boot("app=echo", 8, 1);
        GuestConsole console = host.console(d);
        console.await("echo: type something; it comes back\n", 10_000);

        EventChannelManager evtchn = host.host().hv().evtchn();
        int guestPort = StartInfo.read(d.hypervisorView(), Page.addressOf(TestHost.START_INFO_PFN)).consoleEvtchn();
        int dom0Port = evtchn.bindInterdomain(host.host().dom0(), d.domid(), guestPort);
        assertTrue(dom0Port > 0, "bind_interdomain: " + dom0Port);

        for (String line : new String[] {"ping\n", "hello, minios\n", "enter\r"}) {
            int before = console.seen().length();
            TwoLevelAbi.clearPending(host.host().dom0(), dom0Port);
            typeIn(d, line);
            assertEquals(0, evtchn.send(host.host().dom0(), dom0Port));
            String expected = line.replace("\r", "\r\n");
            TestHost.await(() -> console.drain().substring(before).contains(expected), 10_000,
                    "echo of " + line.strip());
            TestHost.await(() -> evtchn.isPending(host.host().dom0(), dom0Port), 10_000, "the guest to notify dom0");
        }
        assertEquals(0, d.hypervisorView().getIntAcquire(ring() + ConsoleInterface.IN_PROD)
                - d.hypervisorView().getIntAcquire(ring() + ConsoleInterface.IN_CONS), "the guest consumed all input");
    }

    @Test
    void crIsEchoedAsCrLf() {
        byte[] in = "a\rb\r".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals("a\r\nb\r\n".getBytes(StandardCharsets.US_ASCII), EchoApp.crlf(in, in.length));
        assertArrayEquals("a\r\n".getBytes(StandardCharsets.US_ASCII), EchoApp.crlf(in, 2));
    }

    private static long ring() {
        return Page.addressOf(TestHost.CONSOLE_PFN);
    }

    /** dom0's side of the {@code in} ring: write at in_prod, then publish it. */
    private static void typeIn(Domain d, String text) {
        GuestMemory m = d.hypervisorView();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int prod = m.getIntAcquire(ring() + ConsoleInterface.IN_PROD);
        int cons = m.getIntAcquire(ring() + ConsoleInterface.IN_CONS);
        assertTrue(prod - cons + b.length <= ConsoleInterface.IN_SIZE, "room in the in ring");
        for (int i = 0; i < b.length; i++) {
            int at = ConsoleInterface.maskIndex(prod + i, ConsoleInterface.IN_SIZE);
            m.putByte(ring() + ConsoleInterface.IN + at, b[i]);
        }
        m.putIntRelease(ring() + ConsoleInterface.IN_PROD, prod + b.length);
    }
}
