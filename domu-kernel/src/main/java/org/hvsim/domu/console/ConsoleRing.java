package org.hvsim.domu.console;

import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.hv.abi.ConsoleInterface;
import org.hvsim.hv.abi.GuestMemory;

/**
 * The guest (frontend) end of the PV console ring page ({@code struct xencons_interface}, see
 * {@link ConsoleInterface}): the producer of {@code out} and the consumer of {@code in}. Indices are
 * free-running 32-bit counters. The kernel keeps its own copies of the indices it owns
 * ({@code out_prod}, {@code in_cons}) and reads the backend's ({@code out_cons}, {@code in_prod}) once
 * per call with an acquire load; data is written before {@code out_prod} is published with a release
 * store, and read before {@code in_cons} is. A backend index that would put more than a ring's size
 * between the two is not believed: the call moves nothing and counts a protocol error.
 *
 * <p>Threads: the output side and the input side may be used concurrently with each other (they share
 * only the atomic error counter), each by one thread at a time; {@link ConsoleDriver} locks each side.
 */
public final class ConsoleRing {
    private final long page;
    private int outProd;
    private int inCons;
    private final AtomicLong protocolErrors = new AtomicLong();

    /** The ring page at {@code page}, picking up the indices where whoever used it before left them. */
    public ConsoleRing(GuestMemory memory, long page) {
        this.page = page;
        this.outProd = memory.getIntAcquire(page + ConsoleInterface.OUT_PROD);
        this.inCons = memory.getIntAcquire(page + ConsoleInterface.IN_CONS);
    }

    /** Bytes of {@code out} the backend has not consumed yet, or -1 if its index is not believable. */
    public int outUsed(GuestMemory memory) {
        int used = outProd - memory.getIntAcquire(page + ConsoleInterface.OUT_CONS);
        return Integer.compareUnsigned(used, ConsoleInterface.OUT_SIZE) > 0 ? -1 : used;
    }

    /**
     * Copies as much of {@code src[off, off+len)} as fits into {@code out} and publishes it; returns the
     * bytes written (0 when the ring is full or the backend's index is not believable).
     */
    public int write(GuestMemory memory, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        int used = outUsed(memory);
        if (used < 0) {
            protocolErrors.incrementAndGet();
            return 0;
        }
        int n = Math.min(len, ConsoleInterface.OUT_SIZE - used);
        if (n == 0) {
            return 0;
        }
        int at = ConsoleInterface.maskIndex(outProd, ConsoleInterface.OUT_SIZE);
        int first = Math.min(n, ConsoleInterface.OUT_SIZE - at);
        memory.write(page + ConsoleInterface.OUT + at, src, off, first);
        if (n > first) {
            memory.write(page + ConsoleInterface.OUT, src, off + first, n - first);
        }
        outProd += n;
        memory.putIntRelease(page + ConsoleInterface.OUT_PROD, outProd);
        return n;
    }

    /**
     * Copies up to {@code len} bytes of {@code in} into {@code dst[off..]} and releases them to the
     * backend; returns the bytes read (0 when there are none or the backend's index is not believable).
     */
    public int read(GuestMemory memory, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        int avail = memory.getIntAcquire(page + ConsoleInterface.IN_PROD) - inCons;
        if (Integer.compareUnsigned(avail, ConsoleInterface.IN_SIZE) > 0) {
            protocolErrors.incrementAndGet();
            return 0;
        }
        int n = Math.min(len, avail);
        if (n == 0) {
            return 0;
        }
        int at = ConsoleInterface.maskIndex(inCons, ConsoleInterface.IN_SIZE);
        int first = Math.min(n, ConsoleInterface.IN_SIZE - at);
        memory.read(page + ConsoleInterface.IN + at, dst, off, first);
        if (n > first) {
            memory.read(page + ConsoleInterface.IN, dst, off + first, n - first);
        }
        inCons += n;
        memory.putIntRelease(page + ConsoleInterface.IN_CONS, inCons);
        return n;
    }

    /** Backend indices that were not believed, so far. */
    public long protocolErrors() {
        return protocolErrors.get();
    }
}
