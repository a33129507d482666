package org.hvsim.domu.xenbus;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.testing.RingXenstored;
import org.hvsim.hv.abi.EventCallback;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SegmentGuestMemory;

/**
 * A xenbus client without a hypervisor: the ring page in heap memory, a {@link RingXenstored} serving it
 * on its own thread, and {@link Signals} standing in for the hypervisor's event delivery. vCPU 0 takes the
 * store port's events, as in the kernel: its "upcall" (the client's event handler, run with the vCPU marked
 * as in an upcall) runs when it blocks or returns from notifying xenstored and an event is pending.
 * Each vCPU is a {@link PerCpu} over a {@link GuestCpu} that refuses hypercalls: the client must reach the
 * event channel only through its {@link XenbusSignals}.
 */
public final class XenbusRig implements AutoCloseable {
    public static final long RING = 0;
    static final long SCRATCH = Page.SIZE;
    static final long SHARED_INFO = 2 * Page.SIZE;
    public static final int DOMID = 7;
    public static final long TIMEOUT_MS = 10_000;
    static final int VCPUS = 4;

    /** The first frame the rig does not use itself (ring, scratch, shared_info), for a test's own pages. */
    public static final long FIRST_FREE_FRAME = 3;

    final SegmentGuestMemory memory;
    final Signals signals = new Signals();
    public final RingXenstored xenstored;
    public final XenbusClient client;
    private final PerCpu[] cpus = new PerCpu[VCPUS];

    public XenbusRig() {
        this(m -> { });
    }

    /** A rig whose ring page {@code prepare} sets up (indices, connection) before the client attaches. */
    public XenbusRig(Consumer<GuestMemory> prepare) {
        this(3, prepare);
    }

    /** A rig with {@code pages} pages of memory (at least 3); those from {@link #FIRST_FREE_FRAME} are the test's. */
    public XenbusRig(int pages) {
        this(pages, m -> { });
    }

    private XenbusRig(int pages, Consumer<GuestMemory> prepare) {
        memory = SegmentGuestMemory.allocate((long) Math.max(3, pages) * Page.SIZE);
        prepare.accept(memory);
        for (int i = 0; i < VCPUS; i++) {
            cpus[i] = new PerCpu(new BareCpu(i, memory), SCRATCH, SHARED_INFO);
        }
        xenstored = new RingXenstored(memory, RING, DOMID, signals::raise);
        signals.attach(xenstored);
        client = XenbusClient.over(RING, signals);
        signals.client = client;
        xenstored.start();
    }

    public PerCpu cpu() {
        return cpus[0];
    }

    PerCpu cpu(int id) {
        return cpus[id];
    }

    public GuestMemory memory() {
        return memory;
    }

    /** Ends vCPU {@code vcpu}'s block, as an event for it would (a stand-in device's notification). */
    public void wake(int vcpu) {
        signals.wake(null, vcpu);
    }

    /**
     * Blocks {@code cpu} for up to {@code ms} until an event for it (vCPU 0's store port upcall runs on the way
     * out); returns whether an event ended the block.
     */
    public boolean block(PerCpu cpu, long ms) {
        return signals.blockFor(cpu, ms);
    }

    /**
     * vCPU 0 idles as the kernel does (xenwatch work, then block) until {@code done} holds; fails after
     * {@value #TIMEOUT_MS} ms.
     */
    public void idleUntil(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (!client.xenwatch().runPending(cpu())) {
                signals.blockFor(cpu(), 50);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        xenstored.close();
    }

    /**
     * The hypervisor's part: the store port's pending bit (for vCPU 0), per-vCPU IPIs, and the upcall.
     * Threads: every test vCPU thread and the xenstored thread; state under the lock.
     */
    static final class Signals implements XenbusSignals {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private boolean storePending;
        private final boolean[] ipiPending = new boolean[VCPUS];
        private volatile XenbusClient client;
        final AtomicInteger notifications = new AtomicInteger();
        final AtomicInteger upcalls = new AtomicInteger();
        final AtomicInteger blocks = new AtomicInteger();
        private volatile RingXenstored xenstored;

        /** xenstored raised the store port. */
        void raise() {
            lock.lock();
            try {
                storePending = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void notifyXenstored(PerCpu cpu) {
            notifications.incrementAndGet();
            RingXenstored x = xenstored;
            if (x != null) {
                x.kick();
            }
            deliver(cpu);
        }

        @Override
        public void block(PerCpu cpu) {
            if (!blockFor(cpu, TIMEOUT_MS)) {
                throw new AssertionError("vCPU " + cpu.id() + " blocked for " + TIMEOUT_MS + " ms with no event");
            }
        }

        /** Blocks up to {@code ms}; returns whether an event ended the block. */
        boolean blockFor(PerCpu cpu, long ms) {
            blocks.incrementAndGet();
            lock.lock();
            try {
                long left = TimeUnit.MILLISECONDS.toNanos(ms);
                while (!pendingFor(cpu.id())) {
                    if (left <= 0) {
                        return false;
                    }
                    left = changed.awaitNanos(left);
                }
                ipiPending[cpu.id()] = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            } finally {
                lock.unlock();
            }
            deliver(cpu);
            return true;
        }

        @Override
        public void wake(PerCpu cpu, int vcpu) {
            lock.lock();
            try {
                ipiPending[vcpu] = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private boolean pendingFor(int vcpu) {
            return ipiPending[vcpu] || (vcpu == 0 && storePending);
        }

        /** Runs vCPU 0's upcall if the store port is pending (the return path of a hypercall or a block). */
        private void deliver(PerCpu cpu) {
            if (cpu.id() != 0 || cpu.inUpcall()) {
                return;
            }
            lock.lock();
            boolean pending;
            try {
                pending = storePending;
                storePending = false;
            } finally {
                lock.unlock();
            }
            if (pending) {
                upcalls.incrementAndGet();
                cpu.enterUpcall();
                try {
                    client.onStoreEvent(cpu);
                } finally {
                    cpu.leaveUpcall();
                }
            }
        }

        void attach(RingXenstored x) {
            xenstored = x;
        }
    }

    /** A vCPU that has memory and nothing else: no hypercalls. */
    private record BareCpu(int vcpuId, GuestMemory memory) implements GuestCpu {
        @Override
        public long hypercall(int nr, long a1, long a2, long a3, long a4, long a5) {
            throw new AssertionError("hypercall " + nr + " from the xenbus client; it must use its XenbusSignals");
        }

        @Override
        public void registerEventCallback(EventCallback callback) {}

        @Override
        public void preemptionPoint() {}

        @Override
        public long readTsc() {
            return System.nanoTime();
        }
    }
}
