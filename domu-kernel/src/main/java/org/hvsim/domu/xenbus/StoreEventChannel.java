package org.hvsim.domu.xenbus;

import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.EventChannels;
import org.hvsim.domu.event.Ipis;

/**
 * The kernel's {@link XenbusSignals}: {@code EVTCHNOP_send} on the store port start_info names,
 * {@code SCHEDOP_block}, and the kernel's IPIs.
 *
 * <p>Threads: any vCPU (the parts are thread-safe).
 */
final class StoreEventChannel implements XenbusSignals {
    private final EventChannels channels;
    private final Ipis ipis;
    private final int port;

    StoreEventChannel(EventChannels channels, Ipis ipis, int port) {
        this.channels = channels;
        this.ipis = ipis;
        this.port = port;
    }

    @Override
    public void notifyXenstored(PerCpu cpu) {
        channels.send(cpu, port);
    }

    @Override
    public void block(PerCpu cpu) {
        cpu.hypercalls().block();
    }

    @Override
    public void wake(PerCpu cpu, int vcpu) {
        ipis.send(cpu, vcpu);
    }

    int port() {
        return port;
    }
}
