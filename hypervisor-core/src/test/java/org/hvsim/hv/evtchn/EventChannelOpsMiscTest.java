package org.hvsim.hv.evtchn;

import static org.hvsim.hv.abi.Errno.EBUSY;
import static org.hvsim.hv.abi.Errno.EFAULT;
import static org.hvsim.hv.abi.Errno.EINVAL;
import static org.hvsim.hv.abi.Errno.ENOSYS;
import static org.hvsim.hv.abi.Errno.EOPNOTSUPP;
import static org.hvsim.hv.abi.Errno.EPERM;
import static org.hvsim.hv.abi.Errno.ESRCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnAllocUnbound;
import org.hvsim.hv.abi.evtchn.EvtchnBindInterdomain;
import org.hvsim.hv.abi.evtchn.EvtchnBindPirq;
import org.hvsim.hv.abi.evtchn.EvtchnExpandArray;
import org.hvsim.hv.abi.evtchn.EvtchnInitControl;
import org.hvsim.hv.abi.evtchn.EvtchnOpCompat;
import org.hvsim.hv.abi.evtchn.EvtchnReset;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.hvsim.hv.abi.evtchn.EvtchnSetPriority;
import org.hvsim.hv.abi.evtchn.EvtchnStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** reset, the FIFO and PIRQ operations, unknown commands, bad pointers and the compat hypercall. */
class EventChannelOpsMiscTest {
    private final TestHost host = new TestHost();
    private final TestDomain dom0 = host.dom0();
    private final TestDomain a = host.domU(1);
    private final TestDomain b = host.domU(2);
    private final Hypercalls hc = new Hypercalls(host);

    // ---- reset

    @Test
    void resetAsDomidSelfClosesEveryPortAndRevertsPeers() {
        int ap = hc.allocUnbound(a, DomId.SELF, 2);
        int bp = hc.bindInterdomain(b, 1, ap);
        hc.bindVirq(a, Virq.TIMER, 0);
        hc.bindIpi(a, 1);
        assertEquals(0, hc.reset(a, DomId.SELF));
        assertEquals(0, a.table.activeChannels());
        EvtchnStatus peer = hc.status(b, DomId.SELF, bp);
        assertEquals(EvtchnOp.STAT_UNBOUND, peer.status());
        assertEquals(1, peer.unboundDom());
        assertEquals(1, hc.bindIpi(a, 0), "port 0 stays reserved; allocation starts at 1 again");
        assertTrue(hc.bindVirq(a, Virq.TIMER, 0) > 0, "the VIRQ binding went with its port");
    }

    @Test
    void resetOfAnotherDomainNeedsPrivilegeAndAPausedDomain() {
        hc.bindIpi(a, 0);
        assertEquals(-EPERM, hc.reset(b, 1));
        assertEquals(-ESRCH, hc.reset(dom0, 33));
        assertEquals(-EINVAL, hc.reset(dom0, 1), "Xen resets another domain only while the toolstack pauses it");
        assertEquals(1, a.table.activeChannels());
        a.controllerPaused = true;
        assertEquals(0, hc.reset(dom0, 1));
        assertEquals(0, a.table.activeChannels());
    }

    @Test
    void resetLeavesXenAttachedPorts() {
        int xenPort = host.evtchn.allocXenUnbound(a, 0, 0, (d, vcpu, port) -> { });
        hc.bindIpi(a, 0);
        assertEquals(0, hc.reset(a, DomId.SELF));
        assertEquals(1, a.table.activeChannels());
        assertEquals(EvtchnOp.STAT_UNBOUND, hc.status(a, DomId.SELF, xenPort).status());
    }

    @Test
    void resetContinuationWithoutAPreemptedResetIsEbusy() {
        assertEquals(-EBUSY, hc.op(a, EvtchnOp.RESET_CONT, new EvtchnReset(DomId.SELF).encode()));
    }

    // ---- operations hvsim does not have

    @Test
    void bindPirqHasNoPirqSupport() {
        assertEquals(-EOPNOTSUPP, hc.op(dom0, EvtchnOp.BIND_PIRQ, new EvtchnBindPirq(1, 0, 0).encode()));
    }

    @Test
    void fifoOperationsFailAsOnA2LevelOnlyXen() {
        assertEquals(-EOPNOTSUPP, hc.op(a, EvtchnOp.INIT_CONTROL, new EvtchnInitControl(0x10, 0, 0, 0).encode()));
        assertEquals(-EOPNOTSUPP, hc.op(a, EvtchnOp.EXPAND_ARRAY, new EvtchnExpandArray(0x11).encode()));
        int port = hc.bindIpi(a, 0);
        assertEquals(-ENOSYS, hc.op(a, EvtchnOp.SET_PRIORITY, new EvtchnSetPriority(port, 3).encode()));
        assertEquals(-EINVAL, hc.op(a, EvtchnOp.SET_PRIORITY, new EvtchnSetPriority(4000, 3).encode()));
    }

    @ParameterizedTest
    @ValueSource(ints = {15, 16, 100, -1, Integer.MAX_VALUE})
    void unknownCommandsAreEnosys(int cmd) {
        assertEquals(-ENOSYS, hc.op(a, cmd, new byte[0]));
    }

    // ---- bad pointers

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14})
    void everyCommandCopiesItsArgumentFirst(int cmd) {
        SegmentGuestMemory memory = TestHost.argPage();
        assertEquals(-EFAULT, host.ops.op(a, cmd, memory, 4096 - 1));
        assertEquals(-EFAULT, host.ops.op(a, cmd, memory, -8));
        assertEquals(0, a.table.activeChannels(), "nothing happened");
    }

    @Test
    void aStructureStraddlingTheEndOfMemoryFaultsWhole() {
        SegmentGuestMemory memory = TestHost.argPage();
        new EvtchnAllocUnbound(DomId.SELF, 0, 0).write(memory, 4096 - 8);
        assertEquals(0, host.ops.op(a, EvtchnOp.ALLOC_UNBOUND, memory, 4096 - 8));
        assertEquals(-EFAULT, host.ops.op(a, EvtchnOp.STATUS, memory, 4096 - 8), "24 bytes do not fit");
    }

    @Test
    void aFailedWriteBackIsEfaultButTheOperationStaysDone() {
        SegmentGuestMemory memory = TestHost.argPage();
        GuestMemory readOnly = readOnly(memory);
        new EvtchnAllocUnbound(DomId.SELF, 0, 0).write(memory, 0);
        assertEquals(-EFAULT, host.ops.op(a, EvtchnOp.ALLOC_UNBOUND, readOnly, 0));
        assertEquals(1, a.table.activeChannels(), "Xen: cleaning up here would be a mess");
        EvtchnStatus.request(DomId.SELF, 1).write(memory, 0);
        assertEquals(-EFAULT, host.ops.op(a, EvtchnOp.STATUS, readOnly, 0));
        new EvtchnSend(1).write(memory, 0);
        assertEquals(0, host.ops.op(a, EvtchnOp.SEND, readOnly, 0), "send has no OUT field");
    }

    @Test
    void rejectedCallsAreCountedPerCaller() {
        hc.send(a, 0);
        hc.close(a, 0);
        hc.send(b, 0);
        hc.bindIpi(a, 0);
        assertEquals(2, a.table.rejectedOps());
        assertEquals(1, b.table.rejectedOps());
    }

    // ---- event_channel_op_compat

    @Test
    void compatRunsTheOperationOnTheUnionAndWritesOutFieldsThere() {
        SegmentGuestMemory memory = TestHost.argPage();
        EvtchnOpCompat.write(memory, 64, EvtchnOp.ALLOC_UNBOUND, new EvtchnAllocUnbound(DomId.SELF, 2, 0).encode());
        assertEquals(0, host.ops.opCompat(a, memory, 64));
        int ap = memory.getInt(64 + EvtchnOpCompat.U + EvtchnAllocUnbound.PORT);
        assertEquals(1, ap);

        EvtchnOpCompat.write(memory, 64, EvtchnOp.BIND_INTERDOMAIN, new EvtchnBindInterdomain(1, ap, 0).encode());
        assertEquals(0, host.ops.opCompat(b, memory, 64));
        assertEquals(1, memory.getInt(64 + EvtchnOpCompat.U + EvtchnBindInterdomain.LOCAL_PORT));

        EvtchnOpCompat.write(memory, 64, EvtchnOp.SEND, new EvtchnSend(ap).encode());
        assertEquals(0, host.ops.opCompat(a, memory, 64));
        assertTrue(host.evtchn.isPending(b, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {EvtchnOp.RESET, EvtchnOp.INIT_CONTROL, EvtchnOp.EXPAND_ARRAY, EvtchnOp.SET_PRIORITY,
            EvtchnOp.RESET_CONT, 15, -1})
    void compatOffersOnlyThePre32Commands(int cmd) {
        SegmentGuestMemory memory = TestHost.argPage();
        EvtchnOpCompat.write(memory, 0, cmd, new EvtchnReset(DomId.SELF).encode());
        hc.bindIpi(a, 0);
        assertEquals(-ENOSYS, host.ops.opCompat(a, memory, 0));
        assertEquals(1, a.table.activeChannels());
    }

    @Test
    void compatCopiesTheWholeStructEvenForASmallOperation() {
        SegmentGuestMemory memory = TestHost.argPage();
        memory.putInt(4096 - 8 + EvtchnOpCompat.CMD, EvtchnOp.SEND);
        new EvtchnSend(hc.bindIpi(a, 0)).write(memory, 4096 - 8 + EvtchnOpCompat.U);
        assertEquals(-EFAULT, host.ops.opCompat(a, memory, 4096 - 8));
    }

    /** The same memory, but every store faults, as a read-only mapping would. */
    private static GuestMemory readOnly(GuestMemory memory) {
        return (GuestMemory) Proxy.newProxyInstance(GuestMemory.class.getClassLoader(), new Class<?>[] {GuestMemory.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("put") || name.startsWith("write") || name.startsWith("getAnd")
                            || name.startsWith("compare") || name.equals("fill")) {
                        throw new GuestMemoryFault((Long) args[0], "read-only");
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
