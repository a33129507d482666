package org.hvsim.hv.evtchn;

import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.evtchn.EvtchnAllocUnbound;
import org.hvsim.hv.abi.evtchn.EvtchnBindInterdomain;
import org.hvsim.hv.abi.evtchn.EvtchnBindIpi;
import org.hvsim.hv.abi.evtchn.EvtchnBindVcpu;
import org.hvsim.hv.abi.evtchn.EvtchnBindVirq;
import org.hvsim.hv.abi.evtchn.EvtchnClose;
import org.hvsim.hv.abi.evtchn.EvtchnReset;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.hvsim.hv.abi.evtchn.EvtchnStatus;
import org.hvsim.hv.abi.evtchn.EvtchnUnmask;

/**
 * Makes {@code event_channel_op} hypercalls the way a guest kernel does: writes the argument
 * structure into its memory, traps, reads the OUT fields back. Bind operations return the port on
 * success and the negated errno on failure. Threads: one test thread per instance.
 */
final class Hypercalls {
    static final long ARG = 0x100;
    private final TestHost host;
    final SegmentGuestMemory memory = TestHost.argPage();

    Hypercalls(TestHost host) {
        this.host = host;
    }

    long op(TestDomain caller, int cmd, byte[] struct) {
        memory.write(ARG, struct);
        return host.ops.op(caller, cmd, memory, ARG);
    }

    private int portOrError(long rc, int portOffset) {
        if (rc > 0) {
            throw new AssertionError("event_channel_op returned " + rc + ", not 0 or -errno");
        }
        return rc < 0 ? (int) rc : memory.getInt(ARG + portOffset);
    }

    int allocUnbound(TestDomain caller, int dom, int remoteDom) {
        long rc = op(caller, EvtchnOp.ALLOC_UNBOUND, new EvtchnAllocUnbound(dom, remoteDom, 0).encode());
        return portOrError(rc, EvtchnAllocUnbound.PORT);
    }

    int bindInterdomain(TestDomain caller, int remoteDom, int remotePort) {
        long rc = op(caller, EvtchnOp.BIND_INTERDOMAIN, new EvtchnBindInterdomain(remoteDom, remotePort, 0).encode());
        return portOrError(rc, EvtchnBindInterdomain.LOCAL_PORT);
    }

    int bindVirq(TestDomain caller, int virq, int vcpu) {
        long rc = op(caller, EvtchnOp.BIND_VIRQ, new EvtchnBindVirq(virq, vcpu, 0).encode());
        return portOrError(rc, EvtchnBindVirq.PORT);
    }

    int bindIpi(TestDomain caller, int vcpu) {
        long rc = op(caller, EvtchnOp.BIND_IPI, new EvtchnBindIpi(vcpu, 0).encode());
        return portOrError(rc, EvtchnBindIpi.PORT);
    }

    long close(TestDomain caller, int port) {
        return op(caller, EvtchnOp.CLOSE, new EvtchnClose(port).encode());
    }

    long send(TestDomain caller, int port) {
        return op(caller, EvtchnOp.SEND, new EvtchnSend(port).encode());
    }

    long unmask(TestDomain caller, int port) {
        return op(caller, EvtchnOp.UNMASK, new EvtchnUnmask(port).encode());
    }

    long bindVcpu(TestDomain caller, int port, int vcpu) {
        return op(caller, EvtchnOp.BIND_VCPU, new EvtchnBindVcpu(port, vcpu).encode());
    }

    long reset(TestDomain caller, int dom) {
        return op(caller, EvtchnOp.RESET, new EvtchnReset(dom).encode());
    }

    long statusRc(TestDomain caller, int dom, int port) {
        return op(caller, EvtchnOp.STATUS, EvtchnStatus.request(dom, port).encode());
    }

    /** The status structure as the last {@link #statusRc} left it in guest memory. */
    EvtchnStatus lastStatus() {
        return EvtchnStatus.read(memory, ARG);
    }

    /** {@code EVTCHNOP_status} that must succeed. */
    EvtchnStatus status(TestDomain caller, int dom, int port) {
        long rc = statusRc(caller, dom, port);
        if (rc != 0) {
            throw new AssertionError("status failed: " + rc);
        }
        return lastStatus();
    }
}
