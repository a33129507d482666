package org.hvsim.dom0.blkback;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.virtio.blk.VirtioBlkParseResult;
import org.hvsim.virtio.blk.VirtioBlkRequest;
import org.hvsim.virtio.blk.VirtioBlkRequestParser;
import org.hvsim.virtio.blk.VirtioBlkRequestType;
import org.hvsim.virtio.blk.VirtioBlkStatus;
import org.hvsim.virtio.ring.DescriptorChain;
import org.hvsim.virtio.ring.DeviceQueue;
import org.hvsim.virtio.ring.VirtqueueException;

/**
 * One virtio-blk device serving one queue: its device thread pops available chains, answers malformed ones
 * at once (the parser's IOERR/UNSUPP, a refused chain returned unused), hands well-formed requests to a
 * small pool of workers (several in flight; none for a null image, whose requests cost nothing, and none for
 * a small request of an image in memory, which waits for nothing: the device thread does those itself), and
 * returns their chains to the used ring as they complete, notifying the frontend only when
 * {@code used_event} asks for it (EVENT_IDX). With nothing to do it spins for {@code spinNanos} watching
 * the available idx, then asks for a kick ({@code avail_event}) and parks until {@link #kick} or a
 * completion wakes it; while the workers hold requests it parks at once instead (their completions wake
 * it), leaving the CPU to them: on a machine with few cores a spinning device thread is a worker less.
 * While every worker is busy it does not even ask for a kick: the next completion wakes it, and a request
 * it found sooner could not start sooner, so the frontend saves its notifications. A broken ring (avail idx jump, head out of range) stops the queue: the device
 * reports DEVICE_NEEDS_RESET through {@code onNeedsReset} and serves no more.
 *
 * <p>Threads: the device thread alone touches the queue; workers run requests and hand completions back
 * through a concurrent queue; {@link #kick} comes from the event channel's upcall thread; {@link #start}
 * and {@link #close} from the xenbus thread.
 */
public final class VirtioBlkDevice implements AutoCloseable {
    /** Worker threads per device (requests in flight beyond it wait for one). */
    public static final int WORKERS = 8;
    /** The largest request of an image in memory that the device thread does itself (see {@link BlockImage#inMemory}). */
    public static final long INLINE_MAX_BYTES = 64 * 1024;
    /** How long the device thread spins for more work before it parks. */
    public static final long DEFAULT_SPIN_NANOS = 50_000;

    private record Completion(int head, long len) {}

    private final String name;
    private final DeviceQueue queue;
    private final VirtioBlkRequestParser parser;
    private final BlkRequestExecutor executor;
    private final Runnable notifyFrontend;
    private final Consumer<String> onNeedsReset;
    private final BlkbackCounters counters;
    private final RateLimitedLog log;
    private final long spinNanos;
    private final ExecutorService workers;
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private volatile Thread thread;
    private boolean broken;
    /** Requests handed to the workers and not yet drained back (device thread only). */
    private int inFlight;

    /**
     * @param notifyFrontend signals the frontend's event channel (a used-buffer notification)
     * @param onNeedsReset   called once, on the device thread, with the reason, when the ring breaks
     */
    public VirtioBlkDevice(String name, DeviceQueue queue, VirtioBlkRequestParser parser, BlkRequestExecutor executor,
            Runnable notifyFrontend, Consumer<String> onNeedsReset, BlkbackCounters counters, RateLimitedLog log,
            long spinNanos) {
        this.name = name;
        this.queue = queue;
        this.parser = parser;
        this.executor = executor;
        this.notifyFrontend = notifyFrontend;
        this.onNeedsReset = onNeedsReset;
        this.counters = counters;
        this.log = log;
        this.spinNanos = spinNanos;
        this.workers = executor.image() instanceof NullImage ? null
                : Executors.newFixedThreadPool(WORKERS, Thread.ofPlatform().name(name + "-io-", 0).daemon().factory());
    }

    public String name() {
        return name;
    }

    public BlkbackCounters counters() {
        return counters;
    }

    public DeviceQueue queue() {
        return queue;
    }

    /** Starts the device thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("started");
        }
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** An available-buffer notification from the frontend: wakes the device thread. */
    public void kick() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        try {
            serve();
        } catch (RuntimeException | Error e) {
            // A fault the ring checks did not catch (e.g. a mapping gone under the device): stop this device only.
            if (!broken) {
                needsReset(new VirtqueueException(org.hvsim.virtio.ring.VirtqueueError.QUEUE_BROKEN, -1,
                        "device fault: " + e));
            }
            if (e instanceof Error err && !(e instanceof AssertionError)) {
                throw err;
            }
        }
    }

    private void serve() {
        long idleSince = 0;
        while (!stopping) {
            boolean progress = drainCompletions();
            if (!broken) {
                progress |= popAvailable();
            }
            if (!broken && progress) {
                signalIfNeeded();
                idleSince = 0;
                continue;
            }
            if (broken || inFlight >= WORKERS) {
                // every worker is busy: the next completion wakes this thread, which then looks at the ring
                // again, so the frontend need not kick (new requests could not start sooner anyway)
                LockSupport.park(this);
                idleSince = 0;
                continue;
            }
            long now = System.nanoTime();
            if (idleSince == 0) {
                idleSince = now;
            }
            if (inFlight == 0 && now - idleSince < spinNanos) {
                Thread.onSpinWait();
                continue;
            }
            try {
                if (queue.enableNotification() || !completions.isEmpty()) {
                    queue.disableNotification();
                    continue;
                }
            } catch (VirtqueueException e) {
                needsReset(e);
                continue;
            }
            counters.count(BlkbackCounters.Event.PARKED);
            LockSupport.park(this);
            queue.disableNotification();
            idleSince = 0;
        }
    }

    /** Adds the used elements of completed requests; whether there were any. */
    private boolean drainCompletions() {
        boolean any = false;
        Completion c;
        while ((c = completions.poll()) != null) {
            any = true;
            inFlight--;
            if (!broken) {
                used(c.head(), c.len());
            }
        }
        return any;
    }

    private void used(int head, long len) {
        try {
            queue.addUsed(head, len);
        } catch (VirtqueueException e) {
            needsReset(e);
        }
    }

    private void signalIfNeeded() {
        if (!broken && queue.needsNotification()) {
            counters.count(BlkbackCounters.Event.NOTIFY_SENT);
            notifyFrontend.run();
        }
    }

    /** Pops every available chain; whether there was any. */
    private boolean popAvailable() {
        boolean any = false;
        while (!broken) {
            DescriptorChain chain;
            try {
                chain = queue.pop();
            } catch (VirtqueueException e) {
                any = true;
                if (e.breaksQueue()) {
                    needsReset(e);
                } else {
                    counters.count(BlkbackCounters.Event.BAD_CHAIN);
                    log.warn("{}: chain refused, returned unused: {}", name, e.getMessage());
                    used(e.head(), 0);
                }
                continue;
            }
            if (chain == null) {
                return any;
            }
            any = true;
            handle(chain);
        }
        return any;
    }

    private void handle(DescriptorChain chain) {
        switch (parser.parse(chain)) {
            case VirtioBlkParseResult.Accepted a -> {
                if (workers == null || runsInline(a.request())) {
                    Completion c = run(a.request());
                    used(c.head(), c.len());
                } else {
                    inFlight++;
                    workers.execute(() -> {
                        completions.add(run(a.request()));
                        kick();
                    });
                }
            }
            case VirtioBlkParseResult.Rejected r -> {
                counters.count(r.status() == VirtioBlkStatus.UNSUPP ? BlkbackCounters.Event.UNSUPP
                        : BlkbackCounters.Event.IOERR);
                log.warn("{}: request {} answered {}: {}", name, r.head(),
                        r.status() == VirtioBlkStatus.UNSUPP ? "UNSUPP" : "IOERR", r.reason());
                r.complete();
                used(r.head(), r.usedLength());
            }
            case VirtioBlkParseResult.Unanswerable u -> {
                counters.count(BlkbackCounters.Event.UNANSWERABLE);
                log.warn("{}: chain {} returned unused: {}", name, u.head(), u.reason());
                used(u.head(), 0);
            }
        }
    }

    /**
     * Whether the device thread does {@code r} itself: a small read, write, flush or GET_ID of an image in
     * memory, which waits for nothing and costs less than the two thread hand-offs of a worker.
     */
    private boolean runsInline(VirtioBlkRequest r) {
        return executor.image().inMemory() && r.dataLength() <= INLINE_MAX_BYTES
                && switch (r.type()) {
                    case VirtioBlkRequestType.IN, VirtioBlkRequestType.OUT, VirtioBlkRequestType.FLUSH,
                         VirtioBlkRequestType.GET_ID -> true;
                    default -> false;
                };
    }

    /** Runs one request (on a worker, or inline); its completion. */
    private Completion run(VirtioBlkRequest r) {
        int status;
        try {
            status = executor.execute(r);
        } catch (IOException | RuntimeException e) {
            counters.count(BlkbackCounters.Event.IMAGE_ERROR);
            log.warn("{}: {} at sector {} failed: {}", name, VirtioBlkRequestType.name(r.type()), r.sector(),
                    e.toString());
            status = VirtioBlkStatus.IOERR;
        }
        counters.count(switch (status) {
            case VirtioBlkStatus.OK -> BlkbackCounters.Event.OK;
            case VirtioBlkStatus.UNSUPP -> BlkbackCounters.Event.UNSUPP;
            default -> BlkbackCounters.Event.IOERR;
        });
        try {
            r.complete(status);
            return new Completion(r.head(), r.usedLength(status));
        } catch (RuntimeException e) {
            log.warn("{}: cannot write the status of request {}: {}", name, r.head(), e.toString());
            return new Completion(r.head(), 0);
        }
    }

    private void needsReset(VirtqueueException e) {
        if (broken) {
            return;
        }
        broken = true;
        counters.count(BlkbackCounters.Event.NEEDS_RESET);
        log.warn("{}: the ring is broken, DEVICE_NEEDS_RESET: {}", name, e.getMessage());
        onNeedsReset.accept(e.getMessage());
    }

    /** Whether the ring broke (the device needs a reset). Any thread; exact only on the device thread. */
    public boolean isBroken() {
        return queue.isBroken();
    }

    /**
     * Stops: the device thread ends, requests in flight finish (their chains go back to the used ring
     * unless it broke), the workers end. The image and mappings are the caller's to close after.
     */
    @Override
    public void close() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            joinQuietly(t);
        }
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("{}: requests still running after 30 s", name);
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.shutdownNow();
            }
        }
        drainCompletions();
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
