package org.hvsim.dom0.xen;

import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;

/**
 * A hypercall-safe buffer (libxencall's xencall_alloc_buffer): contiguous frames of dom0's memory
 * where argument structures are written before a hypercall and read after. Used by one thread at a
 * time; closing returns it to its pool.
 */
public final class HypercallBuffer implements AutoCloseable {
    private final HypercallBufferPool pool;
    private final GuestMemory memory;
    private final long address;
    private final int size;

    HypercallBuffer(HypercallBufferPool pool, GuestMemory memory, long pfn, int pages) {
        this.pool = pool;
        this.memory = memory;
        this.address = Page.addressOf(pfn);
        this.size = pages * Page.SIZE;
    }

    /** Guest-physical address of the buffer's first byte (what a hypercall argument points at). */
    public long address() {
        return address;
    }

    /** Guest-physical address of byte {@code offset}, checked against the buffer's size. */
    public long at(long offset) {
        if (offset < 0 || offset > size) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside a " + size + "-byte buffer");
        }
        return address + offset;
    }

    public int size() {
        return size;
    }

    /** dom0's memory, to read and write the buffer through {@link #at}. */
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        pool.release(this);
    }
}
