package org.hvsim.dom0.xen;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed pool of hypercall buffers in dom0's memory, each {@link #PAGES} pages (64 KiB: enough for
 * the largest argument array dom0 passes, e.g. the extents of a populate_physmap). A caller waits when
 * all are in use. Thread-safe.
 */
public final class HypercallBufferPool {
    public static final int PAGES = 16;

    private final BlockingQueue<HypercallBuffer> free;

    public HypercallBufferPool(Dom0Memory memory, int buffers) {
        this.free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            long pfn = memory.allocate(PAGES);
            if (pfn < 0) {
                throw new IllegalStateException("dom0 memory too small for " + buffers + " hypercall buffers");
            }
            free.add(new HypercallBuffer(this, memory.view(), pfn, PAGES));
        }
    }

    /** A buffer for one hypercall; close it when done. */
    public HypercallBuffer acquire() {
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a hypercall buffer", e);
        }
    }

    /** A buffer if one is free now, else null (for threads that must not wait). */
    public HypercallBuffer tryAcquire() {
        return free.poll();
    }

    void release(HypercallBuffer b) {
        if (!free.offer(b)) {
            throw new IllegalStateException("hypercall buffer released twice");
        }
    }
}
