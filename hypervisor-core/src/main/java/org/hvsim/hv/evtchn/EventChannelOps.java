package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EFAULT;
import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ENOSYS;
import static org.hvsim.hv.abi.Errno.EOPNOTSUPP;
import static org.hvsim.hv.abi.Errno.EPERM;
import static org.hvsim.hv.abi.Errno.ESRCH;

import java.util.Objects;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.evtchn.EvtchnAllocUnbound;
import org.hvsim.hv.abi.evtchn.EvtchnBindInterdomain;
import org.hvsim.hv.abi.evtchn.EvtchnBindIpi;
import org.hvsim.hv.abi.evtchn.EvtchnBindPirq;
import org.hvsim.hv.abi.evtchn.EvtchnBindVcpu;
import org.hvsim.hv.abi.evtchn.EvtchnBindVirq;
import org.hvsim.hv.abi.evtchn.EvtchnClose;
import org.hvsim.hv.abi.evtchn.EvtchnExpandArray;
import org.hvsim.hv.abi.evtchn.EvtchnInitControl;
import org.hvsim.hv.abi.evtchn.EvtchnOpCompat;
import org.hvsim.hv.abi.evtchn.EvtchnReset;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.hvsim.hv.abi.evtchn.EvtchnSetPriority;
import org.hvsim.hv.abi.evtchn.EvtchnStatus;
import org.hvsim.hv.abi.evtchn.EvtchnUnmask;

/**
 * The {@code event_channel_op} hypercall (32) and its legacy form {@code event_channel_op_compat}
 * (16): the one place a guest's event channel arguments enter the hypervisor. Each structure is
 * copied out of the caller's memory once, whole, before anything else ({@code -EFAULT} if it cannot
 * be), decoded, checked, acted on through {@link EventChannelManager}, and its OUT fields written
 * back ({@code -EFAULT} if that fails; the operation stays done, as in Xen). Results are 0 or a
 * negated Xen errno. The FIFO ABI's operations fail as on Xen built without it.
 *
 * <p>Threads: any vCPU thread, or dom0's privcmd thread; calls run concurrently.
 */
public final class EventChannelOps {
    private final EventChannelManager evtchn;
    private final DomainLookup domains;

    public EventChannelOps(EventChannelManager evtchn) {
        this.evtchn = Objects.requireNonNull(evtchn, "evtchn");
        this.domains = evtchn.domains();
    }

    /** {@code HYPERVISOR_event_channel_op(cmd, arg)} made by {@code caller}; arg is in {@code argMemory}. */
    public long op(EvtchnDomain caller, int cmd, GuestMemory argMemory, long argAddress) {
        return counted(caller, dispatch(caller, cmd, GuestArgs.inMemory(argMemory, argAddress)));
    }

    /**
     * {@code HYPERVISOR_event_channel_op_compat(struct evtchn_op *)}: copies the whole structure,
     * then runs commands 0..9 (the pre-3.2 set) on its union; other commands are {@code -ENOSYS}.
     */
    public long opCompat(EvtchnDomain caller, GuestMemory argMemory, long argAddress) {
        byte[] raw;
        try {
            raw = argMemory.readBytes(argAddress, EvtchnOpCompat.SIZE);
        } catch (GuestMemoryFault fault) {
            return counted(caller, -EFAULT);
        }
        int cmd = EvtchnOpCompat.cmd(raw);
        if (cmd < EvtchnOp.BIND_INTERDOMAIN || cmd > EvtchnOp.UNMASK) {
            return counted(caller, -ENOSYS);
        }
        GuestArgs args = GuestArgs.copied(EvtchnOpCompat.union(raw, EvtchnOpCompat.U_SIZE), argMemory,
                argAddress + EvtchnOpCompat.U);
        return counted(caller, dispatch(caller, cmd, args));
    }

    private static long counted(EvtchnDomain caller, long rc) {
        if (rc < 0) {
            caller.eventChannels().countRejected();
        }
        return rc;
    }

    private long dispatch(EvtchnDomain caller, int cmd, GuestArgs args) {
        return switch (cmd) {
            case EvtchnOp.ALLOC_UNBOUND -> allocUnbound(caller, args);
            case EvtchnOp.BIND_INTERDOMAIN -> bindInterdomain(caller, args);
            case EvtchnOp.BIND_VIRQ -> bindVirq(caller, args);
            case EvtchnOp.BIND_IPI -> bindIpi(caller, args);
            case EvtchnOp.BIND_PIRQ -> args.copyIn(EvtchnBindPirq.SIZE) == null ? -EFAULT : -EOPNOTSUPP;
            case EvtchnOp.CLOSE -> close(caller, args);
            case EvtchnOp.SEND -> send(caller, args);
            case EvtchnOp.STATUS -> status(caller, args);
            case EvtchnOp.BIND_VCPU -> bindVcpu(caller, args);
            case EvtchnOp.UNMASK -> unmask(caller, args);
            case EvtchnOp.RESET, EvtchnOp.RESET_CONT -> reset(caller, args, cmd == EvtchnOp.RESET_CONT);
            case EvtchnOp.INIT_CONTROL -> args.copyIn(EvtchnInitControl.SIZE) == null ? -EFAULT : -EOPNOTSUPP;
            case EvtchnOp.EXPAND_ARRAY -> args.copyIn(EvtchnExpandArray.SIZE) == null ? -EFAULT : -EOPNOTSUPP;
            case EvtchnOp.SET_PRIORITY -> setPriority(caller, args);
            default -> -ENOSYS;
        };
    }

    /** {@code rcu_lock_domain_by_any_id}: DOMID_SELF is the caller; null when no such domain. */
    private EvtchnDomain byAnyId(EvtchnDomain caller, int domid) {
        return domid == DomId.SELF ? caller : domains.find(domid);
    }

    private long allocUnbound(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnAllocUnbound.SIZE);
        if (raw == null) {
            return -EFAULT;
        }
        EvtchnAllocUnbound a = EvtchnAllocUnbound.decode(raw);
        EvtchnDomain d = byAnyId(caller, a.dom());
        if (d == null) {
            return -ESRCH;
        }
        int port = evtchn.allocUnboundByGuest(caller, d, a.remoteDom());
        return port < 0 ? port : written(args.putInt(EvtchnAllocUnbound.PORT, port));
    }

    private long bindInterdomain(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnBindInterdomain.SIZE);
        if (raw == null) {
            return -EFAULT;
        }
        EvtchnBindInterdomain a = EvtchnBindInterdomain.decode(raw);
        int port = evtchn.bindInterdomain(caller, a.remoteDom(), a.remotePort());
        return port < 0 ? port : written(args.putInt(EvtchnBindInterdomain.LOCAL_PORT, port));
    }

    private long bindVirq(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnBindVirq.SIZE);
        if (raw == null) {
            return -EFAULT;
        }
        EvtchnBindVirq a = EvtchnBindVirq.decode(raw);
        int port = evtchn.bindVirq(caller, a.virq(), a.vcpu());
        return port < 0 ? port : written(args.putInt(EvtchnBindVirq.PORT, port));
    }

    private long bindIpi(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnBindIpi.SIZE);
        if (raw == null) {
            return -EFAULT;
        }
        int port = evtchn.bindIpi(caller, EvtchnBindIpi.decode(raw).vcpu());
        return port < 0 ? port : written(args.putInt(EvtchnBindIpi.PORT, port));
    }

    private long close(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnClose.SIZE);
        return raw == null ? -EFAULT : evtchn.close(caller, EvtchnClose.decode(raw).port());
    }

    private long send(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnSend.SIZE);
        return raw == null ? -EFAULT : evtchn.send(caller, EvtchnSend.decode(raw).port());
    }

    private long unmask(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnUnmask.SIZE);
        return raw == null ? -EFAULT : evtchn.unmask(caller, EvtchnUnmask.decode(raw).port());
    }

    private long bindVcpu(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnBindVcpu.SIZE);
        if (raw == null) {
            return -EFAULT;
        }
        EvtchnBindVcpu a = EvtchnBindVcpu.decode(raw);
        return evtchn.bindVcpu(caller, a.port(), a.vcpu());
    }

    /** {@code evtchn_status}: {@code -ESRCH}, then {@code -EINVAL} for a bad port, then {@code -EPERM}. */
    private long status(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnStatus.SIZE);
        if (raw == null) {
            return -EFAULT;
        }
        EvtchnStatus a = EvtchnStatus.decode(raw);
        EvtchnDomain d = byAnyId(caller, a.dom());
        if (d == null) {
            return -ESRCH;
        }
        if (!d.eventChannels().isValid(a.port())) {
            return -EINVAL;
        }
        if (!XsmDefaultPolicy.target(caller, d)) {
            return -EPERM;
        }
        PortStatus s = evtchn.status(d, a.port()).orElseThrow();
        boolean ok = args.putInt(EvtchnStatus.STATUS, s.statusCode()) && args.putInt(EvtchnStatus.VCPU, s.notifyVcpu());
        ok = ok && switch (s.state()) {
            case UNBOUND -> args.putShort(EvtchnStatus.U_UNBOUND_DOM, s.remoteDomid());
            case INTERDOMAIN -> args.putShort(EvtchnStatus.U_INTERDOMAIN_DOM, s.remoteDomid())
                    && args.putInt(EvtchnStatus.U_INTERDOMAIN_PORT, s.remotePort());
            case VIRQ -> args.putInt(EvtchnStatus.U_VIRQ, s.virq());
            default -> true;
        };
        return written(ok);
    }

    /** {@code EVTCHNOP_reset}: {@code -ESRCH}, {@code -EPERM} (XSM), then the reset's own errors. */
    private long reset(EvtchnDomain caller, GuestArgs args, boolean resuming) {
        byte[] raw = args.copyIn(EvtchnReset.SIZE);
        if (raw == null) {
            return -EFAULT;
        }
        EvtchnDomain d = byAnyId(caller, EvtchnReset.decode(raw).dom());
        if (d == null) {
            return -ESRCH;
        }
        if (!XsmDefaultPolicy.target(caller, d)) {
            return -EPERM;
        }
        return resuming ? evtchn.resetContinue(caller, d) : evtchn.reset(caller, d);
    }

    /** FIFO only: {@code -EINVAL} for a bad port, else {@code -ENOSYS} (the 2-level ABI has no priorities). */
    private long setPriority(EvtchnDomain caller, GuestArgs args) {
        byte[] raw = args.copyIn(EvtchnSetPriority.SIZE);
        if (raw == null) {
            return -EFAULT;
        }
        return caller.eventChannels().isValid(EvtchnSetPriority.decode(raw).port()) ? -ENOSYS : -EINVAL;
    }

    private static long written(boolean ok) {
        return ok ? 0 : -EFAULT;
    }
}
