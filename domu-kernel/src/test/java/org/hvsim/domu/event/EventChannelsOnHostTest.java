package org.hvsim.domu.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.evtchn.ChannelState;
import org.hvsim.hv.evtchn.EventChannelManager;
import org.hvsim.hv.evtchn.TwoLevelAbi;
import org.hvsim.hv.testing.TestHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guest's event channel helpers against the hypervisor's event channels, dom0 at the other end. */
class EventChannelsOnHostTest {
    private final KernelHost host;

    EventChannelsOnHostTest() throws Exception {
        host = KernelHost.start(1);
    }

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void allocUnboundBindSendAndClose() throws Exception {
        Domain d = host.bootTestKernel(EventProbeKernel.class, "", 8);
        GuestConsole console = host.console(d);
        Matcher m = Pattern.compile("probe: port (\\d+)\\.").matcher(console.await("probe: port", 10_000));
        assertTrue(m.find());
        int guestPort = Integer.parseInt(m.group(1));
        EventChannelManager evtchn = host.host().hv().evtchn();
        assertEquals(ChannelState.UNBOUND, evtchn.status(d, guestPort).orElseThrow().state());

        int dom0Port = evtchn.bindInterdomain(host.host().dom0(), d.domid(), guestPort);
        TwoLevelAbi.clearPending(host.host().dom0(), dom0Port);
        assertEquals(0, evtchn.send(host.host().dom0(), dom0Port));

        console.await("probe: 1 event(s) on port " + guestPort + "\n", 10_000);
        TestHost.await(() -> evtchn.isPending(host.host().dom0(), dom0Port), 10_000, "the guest's answer");
        console.await("probe: closed, 0 spurious", 10_000);
        TestHost.await(d::isShutdown, 10_000, "poweroff");
        assertEquals(ShutdownReason.POWEROFF.code(), d.shutdownReason());
        assertEquals(ChannelState.UNBOUND, evtchn.status(host.host().dom0(), dom0Port).orElseThrow().state(),
                "closing the guest's end leaves dom0's end unbound");
    }
}
