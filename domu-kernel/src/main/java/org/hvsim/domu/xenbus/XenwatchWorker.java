package org.hvsim.domu.xenbus;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.hvsim.domu.cpu.PerCpu;

/**
 * Linux's {@code xenwatch} thread for a kernel without threads of its own (Mini-OS style): watch events and
 * tasks are queued by the store port's event handler and run in task context by whichever vCPU waits in the
 * kernel next ({@link #runPending}, from the kernel's wait and idle paths), one item at a time and on one
 * vCPU at a time, so callbacks may block on XenStore requests and never run inside an event handler.
 *
 * <p>At most {@value #MAX_QUEUED_EVENTS} watch events wait at once; more are dropped and counted (watch
 * events may be spurious, and a callback re-reads what it watches, but a dropped one is lost).
 * A callback's {@link XenbusException} is counted and reported through the report sink on the 1st, 2nd, 4th,
 * 8th... failure; any other exception is a kernel bug and propagates.
 *
 * <p>Threads: {@link #post} from event handlers on any vCPU; everything else at task level on any vCPU.
 */
public final class XenwatchWorker {
    /** Watch events queued at most. */
    public static final int MAX_QUEUED_EVENTS = 1024;

    private sealed interface Work permits WatchEvent, Task {}

    private record WatchEvent(XenbusWatch watch, String path) implements Work {}

    private record Task(XenwatchTask task) implements Work {}

    private final VcpuWaits waits;
    private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong ran = new AtomicLong();
    private volatile XenbusWatch current;
    private volatile int runner = -1;
    private volatile BiConsumer<PerCpu, String> report = (cpu, line) -> { };

    XenwatchWorker(VcpuWaits waits) {
        this.waits = waits;
    }

    /** Where callback failures are reported (the kernel prints them on the console). */
    public void reportTo(BiConsumer<PerCpu, String> sink) {
        this.report = java.util.Objects.requireNonNull(sink, "sink");
    }

    /** Queues a watch event (event handler context). */
    void post(XenbusWatch watch, String path) {
        if (queuedEvents.incrementAndGet() > MAX_QUEUED_EVENTS) {
            queuedEvents.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(new WatchEvent(watch, path));
    }

    /** Queues a task. */
    void post(XenwatchTask task) {
        queue.add(new Task(task));
    }

    /**
     * Runs everything queued, on {@code cpu}, unless another vCPU is running the queue already. Returns
     * whether it ran anything, in which case the caller re-checks what it waits for before it blocks.
     */
    public boolean runPending(PerCpu cpu) {
        cpu.requireTaskLevel("xenwatch");
        boolean any = false;
        // Re-check after letting go: work queued between the last poll and the release is not left behind.
        while (!queue.isEmpty() && running.compareAndSet(false, true)) {
            runner = cpu.id();
            try {
                Work w;
                while ((w = queue.poll()) != null) {
                    any = true;
                    execute(cpu, w);
                }
            } finally {
                runner = -1;
                running.set(false);
            }
        }
        return any;
    }

    /** Whether work is queued. */
    public boolean hasPending() {
        return !queue.isEmpty();
    }

    private void execute(PerCpu cpu, Work w) {
        ran.incrementAndGet();
        try {
            switch (w) {
                case WatchEvent e -> {
                    queuedEvents.decrementAndGet();
                    current = e.watch();
                    e.watch().callback().fired(cpu, e.path());
                }
                case Task t -> t.task().run(cpu);
            }
        } catch (XenbusException e) {
            long n = failures.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                report.accept(cpu, "xenwatch: " + describe(w) + " failed: " + e.getMessage() + " (" + n
                        + " failure" + (n == 1 ? "" : "s") + " so far)");
            }
        } finally {
            current = null;
            waits.wakeOthers(cpu);
        }
    }

    /** Drops the queued events of {@code watch} (it is being unregistered). */
    void purge(XenbusWatch watch) {
        queue.removeIf(w -> {
            if (w instanceof WatchEvent e && e.watch() == watch) {
                queuedEvents.decrementAndGet();
                return true;
            }
            return false;
        });
    }

    /**
     * Waits until no vCPU is running a callback of {@code watch}; returns at once when called from that
     * callback itself (Linux's {@code xenwatch_mutex} dance in {@code unregister_xenbus_watch}).
     */
    void awaitIdle(PerCpu cpu, XenbusWatch watch) {
        if (runner == cpu.id()) {
            return;
        }
        waits.await(cpu, () -> current != watch);
    }

    /** Watch events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Callbacks and tasks that ended in a {@link XenbusException}. */
    public long failures() {
        return failures.get();
    }

    /** Callbacks and tasks run so far. */
    public long ran() {
        return ran.get();
    }

    private static String describe(Work w) {
        return switch (w) {
            case WatchEvent e -> e.watch() + " for " + e.path();
            case Task t -> "task";
        };
    }
}
