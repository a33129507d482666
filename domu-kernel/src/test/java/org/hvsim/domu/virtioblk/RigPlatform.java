package org.hvsim.domu.virtioblk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.EventHandler;
import org.hvsim.domu.xenbus.XenbusRig;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;

/**
 * The hypervisor's part for frontend tests, over a {@link XenbusRig}: frames handed out from the rig's free
 * pages, a grant table the stand-in backend maps from (refs handed out in ascending order, as the kernel's
 * table does), one event channel between vCPU 0 and the backend, and waits that run the xenwatch worker and
 * take the port's "upcall" on the way out of a block.
 *
 * <p>Threads: the test's vCPU 0 thread, and the backend's thread through {@link #raiseGuest} and the grant map.
 */
final class RigPlatform implements BlkfrontPlatform {
    record Grant(int domid, long gfn, boolean readonly) {}

    static final int PORT = 9;

    final XenbusRig rig;
    final long pages;
    final Map<Integer, Grant> grants = new ConcurrentHashMap<>();
    final Set<Integer> mapped = ConcurrentHashMap.newKeySet();
    final List<String> reports = Collections.synchronizedList(new ArrayList<>());
    final List<Long> freed = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger nextRef = new AtomicInteger(8);
    final AtomicLong nextFrame = new AtomicLong(XenbusRig.FIRST_FREE_FRAME);
    final AtomicBoolean guestPending = new AtomicBoolean();
    final AtomicLong upcalls = new AtomicLong();
    volatile EventHandler handler;
    volatile int boundTo = -1;
    volatile boolean portClosed;
    volatile Runnable backendKick = () -> { };

    RigPlatform(XenbusRig rig, long pages) {
        this.rig = rig;
        this.pages = pages;
    }

    @Override
    public GuestMemory memory() {
        return rig.memory();
    }

    @Override
    public long allocateZeroedFrame(PerCpu cpu) {
        long f = nextFrame.getAndIncrement();
        if (f >= pages) {
            throw new IllegalStateException("the rig has " + pages + " pages");
        }
        rig.memory().fill(Page.addressOf(f), Page.SIZE, (byte) 0);
        return f;
    }

    @Override
    public void freeFrame(long gfn) {
        freed.add(gfn);
    }

    @Override
    public int grantAccess(PerCpu cpu, int domid, long gfn, boolean readonly) {
        int ref = nextRef.getAndIncrement();
        grants.put(ref, new Grant(domid, gfn, readonly));
        return ref;
    }

    @Override
    public boolean endAccess(int ref) {
        if (mapped.contains(ref)) {
            return false;
        }
        return grants.remove(ref) != null;
    }

    @Override
    public int allocUnbound(PerCpu cpu, int remoteDom, EventHandler h) {
        if (handler != null) {
            throw new IllegalStateException("one port only");
        }
        handler = h;
        boundTo = remoteDom;
        return PORT;
    }

    @Override
    public void notify(PerCpu cpu, int port) {
        if (port != PORT || portClosed) {
            throw new AssertionError("send on port " + port);
        }
        backendKick.run();
    }

    @Override
    public void closePort(PerCpu cpu, int port) {
        portClosed = true;
    }

    @Override
    public void wake(PerCpu from, int vcpu) {
        rig.wake(vcpu);
    }

    @Override
    public void waitForEvent(PerCpu cpu, BooleanSupplier ready, long deadline) {
        if (rig.client.xenwatch().runPending(cpu) || deliver(cpu) || ready.getAsBoolean()) {
            return;
        }
        long ms = deadline == 0 ? 50 : Math.max(1, Math.min(50, (deadline - cpu.now()) / 1_000_000));
        rig.block(cpu, ms);
        deliver(cpu);
    }

    /** The backend notified the guest's port: pending, and vCPU 0's block ends. */
    void raiseGuest() {
        guestPending.set(true);
        rig.wake(0);
    }

    /** Runs the port's handler as an upcall on {@code cpu} if the port is pending. */
    private boolean deliver(PerCpu cpu) {
        EventHandler h = handler;
        if (h == null || portClosed || !guestPending.getAndSet(false)) {
            return false;
        }
        upcalls.incrementAndGet();
        cpu.enterUpcall();
        try {
            h.handle(cpu, PORT);
        } finally {
            cpu.leaveUpcall();
        }
        return true;
    }

    @Override
    public void report(PerCpu cpu, String line) {
        reports.add(line);
    }
}
