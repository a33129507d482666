package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EBUSY;
import static org.hvsim.hv.abi.Errno.EEXIST;
import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ENOENT;
import static org.hvsim.hv.abi.Errno.ENOSPC;
import static org.hvsim.hv.abi.Errno.EPERM;
import static org.hvsim.hv.abi.Errno.ESRCH;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.Virq;

/**
 * A reference model of event channel semantics for property tests: Xen's rules written as plainly
 * as possible, over the domains 0..n-1 (domain 0 privileged), each with its own port limit and the
 * same vCPU count. Every operation returns the result the hypervisor must give and updates the
 * model, including the 2-level bits: pending, mask, each vCPU's selector and upcall_pending, and how
 * often each vCPU was kicked, and each port's counters: every raise of a port the guest consumes is
 * exactly one of coalesced (already pending), a masked edge or a delivered edge, and an unmask that
 * finds its port pending releases the held edge as one more upcall. Threads: one.
 */
final class EventChannelModel {
    /** Ports are valid in buckets of this many, created as allocation reaches them. */
    static final int BUCKET = 64;
    private static final int PORTS = 256;

    static final class Port {
        ChannelState state = ChannelState.FREE;
        int vcpu;
        int unboundRemote = DomId.INVALID;
        int remoteDom = DomId.INVALID;
        int remotePort;
        int virq = -1;
        long sends;
        long pendingEdges;
        long upcalls;
        long maskedDrops;
        long coalesced;
        /** Upcalls that unmasks released (not from a raise). */
        long released;

        PortCounts counts() {
            return new PortCounts(sends, pendingEdges, upcalls, maskedDrops, coalesced);
        }
    }

    static final class Dom {
        final int id;
        final int maxPort;
        int validPorts = BUCKET;
        final Port[] ports = new Port[PORTS];
        final Map<Integer, Integer> virqPorts = new HashMap<>();
        final BitSet pending = new BitSet();
        final BitSet mask = new BitSet();
        final long[] selector;
        final boolean[] upcallPending;
        final int[] kicks;
        boolean paused;

        Dom(int id, int maxPort, int vcpus) {
            this.id = id;
            this.maxPort = maxPort;
            for (int p = 0; p < PORTS; p++) {
                ports[p] = new Port();
            }
            ports[0].state = ChannelState.RESERVED;
            selector = new long[vcpus];
            upcallPending = new boolean[vcpus];
            kicks = new int[vcpus];
        }

        boolean valid(int port) {
            return port >= 0 && port < validPorts;
        }

        List<Integer> inUse() {
            List<Integer> used = new ArrayList<>();
            for (int p = 1; p < validPorts; p++) {
                if (ports[p].state != ChannelState.FREE) {
                    used.add(p);
                }
            }
            return used;
        }
    }

    final Dom[] doms;
    final int vcpus;

    /** Domain {@code i} may use ports up to {@code maxPorts[i]}. */
    EventChannelModel(int[] maxPorts, int vcpus) {
        this.vcpus = vcpus;
        doms = new Dom[maxPorts.length];
        for (int i = 0; i < maxPorts.length; i++) {
            doms[i] = new Dom(i, maxPorts[i], vcpus);
        }
    }

    private Dom byAnyId(Dom caller, int domid) {
        if (domid == DomId.SELF) {
            return caller;
        }
        return domid >= 0 && domid < doms.length ? doms[domid] : null;
    }

    private static int freePort(Dom d) {
        for (int p = 0; p <= d.maxPort; p++) {
            if (p >= d.validPorts) {
                d.validPorts += BUCKET;
            }
            if (d.ports[p].state == ChannelState.FREE) {
                return p;
            }
        }
        return -ENOSPC;
    }

    /** evtchn_2l_set_pending on {@code vcpu}. */
    private static void raise(Dom d, int port, int vcpu) {
        Port p = d.ports[port];
        if (d.pending.get(port)) {
            p.coalesced++;
            return;
        }
        d.pending.set(port);
        p.pendingEdges++;
        if (!d.mask.get(port)) {
            p.upcalls++;
            selectAndMark(d, port, vcpu);
        } else {
            p.maskedDrops++;
        }
    }

    private static void selectAndMark(Dom d, int port, int vcpu) {
        long bit = 1L << (port >>> 6);
        if ((d.selector[vcpu] & bit) == 0) {
            d.selector[vcpu] |= bit;
            if (!d.upcallPending[vcpu]) {
                d.upcallPending[vcpu] = true;
                d.kicks[vcpu]++;
            }
        }
    }

    private static void free(Dom d, int port) {
        d.ports[port] = new Port();
        d.pending.clear(port);
    }

    int allocUnbound(int caller, int dom, int remote) {
        Dom c = doms[caller];
        Dom d = byAnyId(c, dom);
        if (d == null) {
            return -ESRCH;
        }
        int port = freePort(d);
        if (port < 0) {
            return port;
        }
        if (c != d && c.id != 0) {
            return -EPERM;
        }
        Port p = d.ports[port];
        p.state = ChannelState.UNBOUND;
        p.unboundRemote = remote == DomId.SELF ? c.id : remote;
        return port;
    }

    int bindInterdomain(int caller, int remoteDom, int remotePort) {
        Dom l = doms[caller];
        Dom r = byAnyId(l, remoteDom);
        if (r == null) {
            return -ESRCH;
        }
        int lport = freePort(l);
        if (lport < 0) {
            return lport;
        }
        if (!r.valid(remotePort)) {
            return -EINVAL;
        }
        Port rp = r.ports[remotePort];
        if (rp.state != ChannelState.UNBOUND || rp.unboundRemote != l.id) {
            return -EINVAL;
        }
        Port lp = l.ports[lport];
        lp.state = ChannelState.INTERDOMAIN;
        lp.remoteDom = r.id;
        lp.remotePort = remotePort;
        rp.state = ChannelState.INTERDOMAIN;
        rp.unboundRemote = DomId.INVALID;
        rp.remoteDom = l.id;
        rp.remotePort = lport;
        raise(l, lport, lp.vcpu);
        return lport;
    }

    int bindVirq(int caller, int virq, int vcpu) {
        Dom d = doms[caller];
        if (virq < 0 || virq >= Virq.NR_VIRQS) {
            return -EINVAL;
        }
        Virq.Kind kind = Virq.kind(virq);
        if (kind != Virq.Kind.PER_VCPU && vcpu != 0) {
            return -EINVAL;
        }
        if (vcpu < 0 || vcpu >= vcpus) {
            return -ENOENT;
        }
        if (kind == Virq.Kind.GLOBAL && d.id != 0) {
            return -EBUSY;
        }
        int key = vcpu * Virq.NR_VIRQS + virq;
        if (d.virqPorts.containsKey(key)) {
            return -EEXIST;
        }
        int port = freePort(d);
        if (port < 0) {
            return port;
        }
        Port p = d.ports[port];
        p.state = ChannelState.VIRQ;
        p.vcpu = vcpu;
        p.virq = virq;
        d.virqPorts.put(key, port);
        return port;
    }

    int bindIpi(int caller, int vcpu) {
        Dom d = doms[caller];
        if (vcpu < 0 || vcpu >= vcpus) {
            return -ENOENT;
        }
        int port = freePort(d);
        if (port < 0) {
            return port;
        }
        d.ports[port].state = ChannelState.IPI;
        d.ports[port].vcpu = vcpu;
        return port;
    }

    int bindVcpu(int caller, int port, int vcpu) {
        Dom d = doms[caller];
        if (vcpu < 0 || vcpu >= vcpus) {
            return -ENOENT;
        }
        if (!d.valid(port)) {
            return -EINVAL;
        }
        Port p = d.ports[port];
        switch (p.state) {
            case VIRQ -> {
                if (Virq.kind(p.virq) == Virq.Kind.PER_VCPU) {
                    return -EINVAL;
                }
                p.vcpu = vcpu;
            }
            case UNBOUND, INTERDOMAIN -> p.vcpu = vcpu;
            default -> {
                return -EINVAL;
            }
        }
        return 0;
    }

    int send(int caller, int port) {
        Dom d = doms[caller];
        if (!d.valid(port)) {
            return -EINVAL;
        }
        Port p = d.ports[port];
        if (p.state == ChannelState.INTERDOMAIN || p.state == ChannelState.IPI || p.state == ChannelState.UNBOUND) {
            p.sends++;
        }
        return switch (p.state) {
            case INTERDOMAIN -> {
                Dom r = doms[p.remoteDom];
                raise(r, p.remotePort, r.ports[p.remotePort].vcpu);
                yield 0;
            }
            case IPI -> {
                raise(d, port, p.vcpu);
                yield 0;
            }
            case UNBOUND -> 0;
            default -> -EINVAL;
        };
    }

    int close(int caller, int port) {
        Dom d = doms[caller];
        if (!d.valid(port)) {
            return -EINVAL;
        }
        Port p = d.ports[port];
        switch (p.state) {
            case FREE, RESERVED -> {
                return -EINVAL;
            }
            case VIRQ -> d.virqPorts.values().remove(port);
            case INTERDOMAIN -> {
                Port peer = doms[p.remoteDom].ports[p.remotePort];
                peer.state = ChannelState.UNBOUND;
                peer.unboundRemote = d.id;
                peer.remoteDom = DomId.INVALID;
                peer.remotePort = 0;
            }
            default -> { }
        }
        free(d, port);
        return 0;
    }

    int unmaskOp(int caller, int port) {
        Dom d = doms[caller];
        if (!d.valid(port)) {
            return -EINVAL;
        }
        if (d.ports[port].state.isBound() && d.mask.get(port)) {
            d.mask.clear(port);
            if (d.pending.get(port)) {
                d.ports[port].upcalls++;
                d.ports[port].released++;
                selectAndMark(d, port, d.ports[port].vcpu);
            }
        }
        return 0;
    }

    int reset(int caller, int dom) {
        Dom c = doms[caller];
        Dom d = byAnyId(c, dom);
        if (d == null) {
            return -ESRCH;
        }
        if (c != d && c.id != 0) {
            return -EPERM;
        }
        if (c != d && !d.paused) {
            return -EINVAL;
        }
        for (int p = 1; p < d.validPorts; p++) {
            if (d.ports[p].state != ChannelState.FREE) {
                close(d.id, p);
            }
        }
        return 0;
    }

    /** The guest wrote its mask bit. */
    void guestMask(int dom, int port, boolean masked) {
        if (masked) {
            doms[dom].mask.set(port);
        } else {
            doms[dom].mask.clear(port);
        }
    }

    /** A guest upcall handler's pass on {@code vcpu}: the ports it handles, in order. */
    List<Integer> scan(int dom, int vcpu) {
        Dom d = doms[dom];
        d.upcallPending[vcpu] = false;
        long sel = d.selector[vcpu];
        d.selector[vcpu] = 0;
        List<Integer> handled = new ArrayList<>();
        for (int word = 0; word < 64; word++) {
            if ((sel & (1L << word)) == 0) {
                continue;
            }
            for (int port = word * 64; port < word * 64 + 64; port++) {
                if (d.pending.get(port) && !d.mask.get(port)) {
                    d.pending.clear(port);
                    handled.add(port);
                }
            }
        }
        return handled;
    }
}
