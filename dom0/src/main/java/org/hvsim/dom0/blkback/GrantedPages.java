package org.hvsim.dom0.blkback;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.SegmentGuestMemory;

/**
 * Granted pages that dom0 mapped one by one, laid end to end as one address space from 0: byte {@code n}
 * is byte {@code n % 4096} of page {@code n / 4096}. The frames need not be contiguous in machine memory;
 * a value that crosses a page boundary is read and written byte by byte (the atomic and ordered accesses
 * require natural alignment, so they never cross one). {@link #segments} hands out the pages' own
 * machine-memory segments, so data moves between an image and the guest's pages with no copy; given the
 * whole machine memory the pages were mapped from, it joins pages that lie next to each other there (and
 * are mapped the same way) into one segment, as a DMA engine's scatter-gather list would, so that a large
 * request over contiguous frames is one read or write of the image rather than one per page.
 *
 * <p>Threads: any, as {@link GuestMemory} allows; immutable.
 */
public final class GrantedPages implements GuestMemory {
    public static final int PAGE_SIZE = 4096;

    private final SegmentGuestMemory[] pages;
    /** The machine memory the pages are slices of, or null if unknown (pages are then never joined). */
    private final MemorySegment machine;
    /** Each page's offset in {@link #machine}. */
    private final long[] machineOffsets;

    /** @param pages one-page views (base 0, 4096 bytes each), in address order */
    public GrantedPages(List<SegmentGuestMemory> pages) {
        this(pages, null);
    }

    /**
     * @param pages   one-page views (base 0, 4096 bytes each), in address order
     * @param machine the machine memory they were mapped from (their segments are slices of it), or null
     * @throws IllegalArgumentException if a page is not a one-page view or not within {@code machine}
     */
    public GrantedPages(List<SegmentGuestMemory> pages, MemorySegment machine) {
        if (pages.isEmpty()) {
            throw new IllegalArgumentException("no pages");
        }
        this.machineOffsets = machine == null ? null : new long[pages.size()];
        for (int i = 0; i < pages.size(); i++) {
            SegmentGuestMemory p = pages.get(i);
            if (p.base() != 0 || p.segment().byteSize() != PAGE_SIZE) {
                throw new IllegalArgumentException("not a one-page view at 0");
            }
            if (machine != null) {
                long off = p.segment().address() - machine.address();
                if (off < 0 || off > machine.byteSize() - PAGE_SIZE) {
                    throw new IllegalArgumentException("a page outside the machine memory given");
                }
                machineOffsets[i] = off;
            }
        }
        this.pages = pages.toArray(SegmentGuestMemory[]::new);
        this.machine = machine;
    }

    public long size() {
        return (long) pages.length * PAGE_SIZE;
    }

    /**
     * The machine-memory segments holding {@code [address, address+length)}, in order: page by page, pages
     * next to each other in machine memory (and both read-only or both writable) joined into one.
     */
    public List<MemorySegment> segments(long address, long length) {
        check(address, length);
        List<MemorySegment> out = new ArrayList<>(machine == null ? 1 + (int) (length / PAGE_SIZE) : 4);
        long a = address;
        long left = length;
        long runStart = -1;   // the current run's offset in machine memory, if joining
        long runLength = 0;
        boolean runReadOnly = false;
        while (left > 0) {
            int page = (int) (a / PAGE_SIZE);
            int off = (int) (a % PAGE_SIZE);
            long n = Math.min(left, PAGE_SIZE - off);
            if (machine == null) {
                out.add(pages[page].segment().asSlice(off, n));
            } else {
                long at = machineOffsets[page] + off;
                boolean ro = pages[page].segment().isReadOnly();
                if (runStart >= 0 && at == runStart + runLength && ro == runReadOnly) {
                    runLength += n;
                } else {
                    if (runStart >= 0) {
                        out.add(run(runStart, runLength, runReadOnly));
                    }
                    runStart = at;
                    runLength = n;
                    runReadOnly = ro;
                }
            }
            a += n;
            left -= n;
        }
        if (runStart >= 0) {
            out.add(run(runStart, runLength, runReadOnly));
        }
        return out;
    }

    private MemorySegment run(long offset, long length, boolean readOnly) {
        MemorySegment s = machine.asSlice(offset, length);
        return readOnly ? s.asReadOnly() : s;
    }

    /**
     * The machine-memory segments of {@code [address, address+length)} of {@code memory}: a single view's
     * own segment, or the pages of a {@link GrantedPages}; null for any other memory (a test double).
     */
    public static List<MemorySegment> segmentsOf(GuestMemory memory, long address, long length) {
        Objects.requireNonNull(memory);
        return switch (memory) {
            case GrantedPages g -> g.segments(address, length);
            case SegmentGuestMemory s -> {
                if (address < s.base() || length < 0 || address - s.base() > s.segment().byteSize() - length) {
                    throw new GuestMemoryFault(address, "outside the view");
                }
                yield List.of(s.segment().asSlice(address - s.base(), length));
            }
            default -> null;
        };
    }

    private void check(long address, long length) {
        if (!isAccessible(address, length)) {
            throw new GuestMemoryFault(address, length + " bytes outside " + pages.length + " granted pages");
        }
    }

    private SegmentGuestMemory page(long address, int size) {
        check(address, size);
        return pages[(int) (address / PAGE_SIZE)];
    }

    private boolean within(long address, int size) {
        return address % PAGE_SIZE + size <= PAGE_SIZE;
    }

    private static long off(long address) {
        return address % PAGE_SIZE;
    }

    private long getLe(long address, int size) {
        check(address, size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | Byte.toUnsignedLong(getByte(address + i));
        }
        return v;
    }

    private void putLe(long address, int size, long v) {
        check(address, size);
        for (int i = 0; i < size; i++) {
            putByte(address + i, (byte) (v >>> (8 * i)));
        }
    }

    private SegmentGuestMemory aligned(long address, int size) {
        if (address % size != 0) {
            throw new GuestMemoryFault(address, "unaligned " + size + "-byte atomic access");
        }
        return page(address, size);
    }

    @Override
    public byte getByte(long address) {
        return page(address, 1).getByte(off(address));
    }

    @Override
    public void putByte(long address, byte value) {
        page(address, 1).putByte(off(address), value);
    }

    @Override
    public short getShort(long address) {
        return within(address, 2) ? page(address, 2).getShort(off(address)) : (short) getLe(address, 2);
    }

    @Override
    public void putShort(long address, short value) {
        if (within(address, 2)) {
            page(address, 2).putShort(off(address), value);
        } else {
            putLe(address, 2, value);
        }
    }

    @Override
    public int getInt(long address) {
        return within(address, 4) ? page(address, 4).getInt(off(address)) : (int) getLe(address, 4);
    }

    @Override
    public void putInt(long address, int value) {
        if (within(address, 4)) {
            page(address, 4).putInt(off(address), value);
        } else {
            putLe(address, 4, value);
        }
    }

    @Override
    public long getLong(long address) {
        return within(address, 8) ? page(address, 8).getLong(off(address)) : getLe(address, 8);
    }

    @Override
    public void putLong(long address, long value) {
        if (within(address, 8)) {
            page(address, 8).putLong(off(address), value);
        } else {
            putLe(address, 8, value);
        }
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        int done = 0;
        for (MemorySegment s : segments(address, length)) {
            MemorySegment.copy(s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, dst, offset + done, (int) s.byteSize());
            done += (int) s.byteSize();
        }
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        int done = 0;
        for (MemorySegment s : segments(address, length)) {
            MemorySegment.copy(src, offset + done, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (int) s.byteSize());
            done += (int) s.byteSize();
        }
    }

    @Override
    public void read(long address, MemorySegment dst, long dstOffset, long length) {
        long done = 0;
        for (MemorySegment s : segments(address, length)) {
            MemorySegment.copy(s, 0, dst, dstOffset + done, s.byteSize());
            done += s.byteSize();
        }
    }

    @Override
    public void write(long address, MemorySegment src, long srcOffset, long length) {
        long done = 0;
        for (MemorySegment s : segments(address, length)) {
            MemorySegment.copy(src, srcOffset + done, s, 0, s.byteSize());
            done += s.byteSize();
        }
    }

    @Override
    public void fill(long address, long length, byte value) {
        for (MemorySegment s : segments(address, length)) {
            s.fill(value);
        }
    }

    @Override
    public short getShortAcquire(long address) {
        return aligned(address, 2).getShortAcquire(off(address));
    }

    @Override
    public void putShortRelease(long address, short value) {
        aligned(address, 2).putShortRelease(off(address), value);
    }

    @Override
    public int getIntAcquire(long address) {
        return aligned(address, 4).getIntAcquire(off(address));
    }

    @Override
    public void putIntRelease(long address, int value) {
        aligned(address, 4).putIntRelease(off(address), value);
    }

    @Override
    public long getLongAcquire(long address) {
        return aligned(address, 8).getLongAcquire(off(address));
    }

    @Override
    public void putLongRelease(long address, long value) {
        aligned(address, 8).putLongRelease(off(address), value);
    }

    @Override
    public long getAndBitwiseOrLong(long address, long mask) {
        return aligned(address, 8).getAndBitwiseOrLong(off(address), mask);
    }

    @Override
    public long getAndBitwiseAndLong(long address, long mask) {
        return aligned(address, 8).getAndBitwiseAndLong(off(address), mask);
    }

    @Override
    public int compareAndExchangeInt(long address, int expected, int newValue) {
        return aligned(address, 4).compareAndExchangeInt(off(address), expected, newValue);
    }

    @Override
    public boolean isAccessible(long address, long length) {
        return address >= 0 && length >= 0 && address <= size() - length;
    }
}
