package org.hvsim.dom0.xen;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.evtchn.EvtchnAllocUnbound;
import org.hvsim.hv.abi.evtchn.EvtchnBindInterdomain;
import org.hvsim.hv.abi.evtchn.EvtchnBindVirq;
import org.hvsim.hv.abi.evtchn.EvtchnClose;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;

/**
 * dom0's event channels (libxenevtchn over /dev/xen/evtchn): binds ports with event_channel_op, and
 * when the hypervisor sends an upcall for one of dom0's vCPUs, scans dom0's shared_info the 2-level
 * way and calls the handler registered for each pending port. Handlers run on the upcall thread and
 * must be quick (hand longer work to their own executor). Threads: any binds and notifies; the privcmd
 * upcall thread calls {@link #upcall}.
 */
public final class EventChannelDevice {
    private final Xc xc;
    private final TwoLevelEventScan scan;
    private final int nrVcpus;
    private final EventChannelInspector inspector;
    private final Map<Integer, IntConsumer> handlers = new ConcurrentHashMap<>();
    /**
     * Ports found pending before anyone handled them: a bind leaves its new port pending, and the upcall
     * may scan before the binder has registered its handler. Guarded by this object with the handlers.
     */
    private final java.util.Set<Integer> unclaimed = new java.util.HashSet<>();

    public EventChannelDevice(Xc xc, Dom0Memory memory, int nrVcpus, EventChannelInspector inspector) {
        this.xc = xc;
        this.inspector = inspector;
        this.scan = new TwoLevelEventScan(memory.sharedInfo(), 0);
        this.nrVcpus = nrVcpus;
    }

    /** The hypervisor says events are pending for dom0's vCPU {@code vcpu}. */
    public void upcall(int vcpu) {
        scan.scan(vcpu, port -> {
            IntConsumer h;
            synchronized (this) {
                h = handlers.get(port);
                if (h == null) {
                    unclaimed.add(port);
                }
            }
            if (h != null) {
                h.accept(port);
            }
        });
    }

    /** Registers the handler of {@code port}; an event that came before it is handed over now. */
    private void register(int port, IntConsumer handler) {
        boolean missed;
        synchronized (this) {
            handlers.put(port, handler);
            missed = unclaimed.remove(port);
        }
        if (missed) {
            handler.accept(port);
        }
    }

    /** Scans for every vCPU (after startup, to handle what arrived before handlers were set). */
    public void scanAll() {
        for (int v = 0; v < nrVcpus; v++) {
            upcall(v);
        }
    }

    /** Handles events on an already bound local port (e.g. one a previous dom0 process bound). */
    public void setHandler(int port, IntConsumer handler) {
        register(port, handler);
    }

    private long op(int cmd, String name, java.util.function.Consumer<HypercallBuffer> write, HypercallBuffer b) {
        write.accept(b);
        return Xc.check("event_channel_op " + name, xc.xen().hypercall(HypercallNr.EVENT_CHANNEL_OP, cmd, b.address()));
    }

    /**
     * EVTCHNOP_alloc_unbound in {@code dom} (another domain: dom0 is privileged) for {@code remoteDom},
     * labelled with what it is for ({@code "xenstore"}, {@code "console"}) for inspection tools.
     */
    public int allocUnbound(int dom, int remoteDom, String label) {
        int port;
        try (HypercallBuffer b = xc.buffers().acquire()) {
            op(EvtchnOp.ALLOC_UNBOUND, "alloc_unbound (d" + dom + ")",
                    x -> new EvtchnAllocUnbound(dom, remoteDom, 0).write(x.memory(), x.address()), b);
            port = EvtchnAllocUnbound.read(b.memory(), b.address()).port();
        }
        inspector.label(dom, port, label);
        return port;
    }

    /**
     * EVTCHNOP_bind_interdomain to {@code remoteDom}'s {@code remotePort}, labelled with what dom0's
     * end is for; returns dom0's local port.
     */
    public int bindInterdomain(int remoteDom, int remotePort, String label, IntConsumer handler) {
        int port;
        try (HypercallBuffer b = xc.buffers().acquire()) {
            op(EvtchnOp.BIND_INTERDOMAIN, "bind_interdomain (d" + remoteDom + " port " + remotePort + ")",
                    x -> new EvtchnBindInterdomain(remoteDom, remotePort, 0).write(x.memory(), x.address()), b);
            port = EvtchnBindInterdomain.read(b.memory(), b.address()).localPort();
        }
        inspector.label(0, port, label);
        register(port, handler);
        return port;
    }

    /** EVTCHNOP_bind_virq of a global VIRQ (on vCPU 0); returns the local port. */
    public int bindVirq(int virq, IntConsumer handler) {
        try (HypercallBuffer b = xc.buffers().acquire()) {
            op(EvtchnOp.BIND_VIRQ, "bind_virq " + virq,
                    x -> new EvtchnBindVirq(virq, 0, 0).write(x.memory(), x.address()), b);
            int port = EvtchnBindVirq.read(b.memory(), b.address()).port();
            register(port, handler);
            return port;
        }
    }

    /** EVTCHNOP_send: notify the other end of {@code port}. */
    public void notify(int port) {
        try (HypercallBuffer b = xc.buffers().acquire()) {
            op(EvtchnOp.SEND, "send " + port, x -> new EvtchnSend(port).write(x.memory(), x.address()), b);
        }
    }

    /** EVTCHNOP_close; the handler goes too. */
    public void close(int port) {
        synchronized (this) {
            handlers.remove(port);
            unclaimed.remove(port);
        }
        try (HypercallBuffer b = xc.buffers().acquire()) {
            op(EvtchnOp.CLOSE, "close " + port, x -> new EvtchnClose(port).write(x.memory(), x.address()), b);
        }
    }

    /**
     * EVTCHNOP_reset of dom0's own ports: every port closed (their peers revert to unbound for dom0),
     * every handler dropped. A restarted dom0 does this before binding again.
     */
    public void resetOwn() {
        synchronized (this) {
            handlers.clear();
            unclaimed.clear();
        }
        try (HypercallBuffer b = xc.buffers().acquire()) {
            op(EvtchnOp.RESET, "reset", x -> new org.hvsim.hv.abi.evtchn.EvtchnReset(org.hvsim.hv.abi.DomId.SELF)
                    .write(x.memory(), x.address()), b);
        }
    }

    /** The status of {@code port} of {@code domid} (DOMID_SELF for dom0's own). */
    public org.hvsim.hv.abi.evtchn.EvtchnStatus status(int domid, int port) {
        try (HypercallBuffer b = xc.buffers().acquire()) {
            op(EvtchnOp.STATUS, "status " + port,
                    x -> new org.hvsim.hv.abi.evtchn.EvtchnStatus(domid, port, 0, 0, 0, 0).write(x.memory(), x.address()), b);
            return org.hvsim.hv.abi.evtchn.EvtchnStatus.read(b.memory(), b.address());
        }
    }
}
