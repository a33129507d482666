package org.hvsim.hv.boot;

import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.domctl.DomctlHeader;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.hypercall.HypercallContext;
import org.hvsim.hv.privcmd.Dom0HypercallHandler;

/**
 * dom0's hypercalls from the privcmd channel into the hypervisor's dispatcher, as the vCPU of dom0 that made
 * them, and which calls never wait: {@code xen_version}, {@code console_io}, {@code sysctl},
 * {@code event_channel_op}, {@code memory_op}, {@code mmu_update}, {@code grant_table_op} and every
 * {@code domctl} but pausedomain only take short locks that no waiting thread holds. pausedomain waits up to a second for the domain's vCPUs
 * to leave their pCPUs, as Xen's domain_pause does; {@code sched_op}, {@code vcpu_op}, {@code set_timer_op}
 * and {@code multicall} (which may hold any of them) may wait too. A domctl's command is read from dom0's
 * memory to decide, and read again by the dispatcher: dom0 changing it in between only costs dom0 itself an
 * event loop busy for that pause.
 *
 * <p>Threads: the privcmd channel's event loop and its hypercall virtual threads.
 */
final class Dom0Hypercalls implements Dom0HypercallHandler {
    private final Hypervisor hv;
    private final Domain dom0;

    Dom0Hypercalls(Hypervisor hv, Domain dom0) {
        this.hv = hv;
        this.dom0 = dom0;
    }

    @Override
    public long hypercall(int vcpu, int op, long[] args) {
        return hv.hypercalls().dispatch(new HypercallContext(dom0, dom0.vcpu(vcpu)), op, args[0], args[1], args[2],
                args[3], args[4]);
    }

    @Override
    public boolean neverWaits(int op, long[] args) {
        return switch (op) {
            case HypercallNr.XEN_VERSION, HypercallNr.CONSOLE_IO, HypercallNr.SYSCTL, HypercallNr.EVENT_CHANNEL_OP,
                    HypercallNr.MEMORY_OP, HypercallNr.MMU_UPDATE, HypercallNr.GRANT_TABLE_OP -> true;
            case HypercallNr.DOMCTL -> domctlNeverWaits(args[0]);
            default -> false;
        };
    }

    private boolean domctlNeverWaits(long address) {
        try {
            return DomctlHeader.read(dom0.hypervisorView(), address).cmd() != Domctl.PAUSEDOMAIN;
        } catch (GuestMemoryFault unreadable) {
            return true; // the dispatcher answers -EFAULT at once
        }
    }
}
