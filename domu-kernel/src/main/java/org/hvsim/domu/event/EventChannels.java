package org.hvsim.domu.event;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.hypercall.HypercallException;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.SharedInfo;

/**
 * The kernel's event channels (Mini-OS's {@code events.c}): which handler each port runs, and the
 * helpers that bind, unmask, send and close. Every port starts masked ({@link #maskAll}); binding a
 * handler unmasks its port with {@code EVTCHNOP_unmask}, which re-raises an event that arrived while
 * the port was masked. Upcalls ({@link UpcallHandler}) clear a port's pending bit and then
 * {@link #dispatch} it.
 *
 * <p>Threads: any vCPU, task code or event handlers; the table is an atomic array.
 */
public final class EventChannels {
    /** Ports of the 2-level ABI for a 64-bit guest. */
    public static final int NR_PORTS = EvtchnOp.NR_2L_CHANNELS;

    private final long sharedInfo;
    private final AtomicReferenceArray<EventHandler> handlers = new AtomicReferenceArray<>(NR_PORTS);
    private final AtomicLong dispatched = new AtomicLong();
    private final AtomicLong spurious = new AtomicLong();

    /** Event channels over the shared_info page mapped at {@code sharedInfoAddress}. */
    public EventChannels(long sharedInfoAddress) {
        this.sharedInfo = sharedInfoAddress;
    }

    /** Sets every mask bit, as a kernel does before it binds anything (Mini-OS's {@code init_events}). */
    public void maskAll(GuestMemory memory) {
        for (int w = 0; w < SharedInfo.EVTCHN_WORDS; w++) {
            memory.getAndBitwiseOrLong(sharedInfo + SharedInfo.EVTCHN_MASK + 8L * w, -1L);
        }
    }

    /** {@code EVTCHNOP_bind_virq} of {@code virq} on {@code vcpu}; {@code handler} runs when it fires. */
    public int bindVirq(PerCpu cpu, int virq, int vcpu, EventHandler handler) {
        int port = cpu.hypercalls().bindVirq(virq, vcpu);
        bind(cpu, port, handler);
        return port;
    }

    /** {@code EVTCHNOP_bind_ipi} to {@code vcpu}; {@code handler} runs on {@code vcpu} when it fires. */
    public int bindIpi(PerCpu cpu, int vcpu, EventHandler handler) {
        int port = cpu.hypercalls().bindIpi(vcpu);
        bind(cpu, port, handler);
        return port;
    }

    /** {@code EVTCHNOP_alloc_unbound} for {@code remoteDom} to bind to; {@code handler} runs when it fires. */
    public int allocUnbound(PerCpu cpu, int remoteDom, EventHandler handler) {
        int port = cpu.hypercalls().allocUnbound(remoteDom);
        bind(cpu, port, handler);
        return port;
    }

    /** Runs {@code handler} when {@code port} (a port this domain already has, e.g. the console's) fires. */
    public void bind(PerCpu cpu, int port, EventHandler handler) {
        if (!handlers.compareAndSet(checked(port), null, handler)) {
            throw new IllegalStateException("port " + port + " already has a handler");
        }
        unmask(cpu, port);
    }

    /** Masks {@code port}, forgets its handler and closes it ({@code EVTCHNOP_close}). */
    public void close(PerCpu cpu, int port) {
        cpu.events().setMask(checked(port));
        handlers.set(port, null);
        HypercallException.check("EVTCHNOP_close", cpu.hypercalls().close(port));
    }

    /** {@code EVTCHNOP_unmask}: unmask {@code port}; an event it missed while masked is raised again. */
    public void unmask(PerCpu cpu, int port) {
        HypercallException.check("EVTCHNOP_unmask", cpu.hypercalls().unmask(checked(port)));
    }

    /** Sets {@code port}'s mask bit: its events stay pending without an upcall. */
    public void mask(PerCpu cpu, int port) {
        cpu.events().setMask(checked(port));
    }

    /** {@code EVTCHNOP_send} on {@code port}; returns Xen's result (an unbound port drops it with 0). */
    public long send(PerCpu cpu, int port) {
        return cpu.hypercalls().send(checked(port));
    }

    /** Whether {@code port}'s pending bit is set. */
    public boolean isPending(PerCpu cpu, int port) {
        return cpu.events().isPending(checked(port));
    }

    /** Runs the handler of {@code port}, which the upcall found pending (and has cleared). */
    void dispatch(PerCpu cpu, int port) {
        EventHandler h = handlers.get(port);
        if (h == null) {
            spurious.incrementAndGet();
            return;
        }
        dispatched.incrementAndGet();
        h.handle(cpu, port);
    }

    /** Events handed to a handler so far. */
    public long dispatched() {
        return dispatched.get();
    }

    /** Events on ports without a handler (unbound or closed meanwhile): counted and dropped. */
    public long spurious() {
        return spurious.get();
    }

    private static int checked(int port) {
        if (port <= 0 || port >= NR_PORTS) {
            throw new IllegalArgumentException("port " + port + " is not a port in 1.." + (NR_PORTS - 1));
        }
        return port;
    }
}
