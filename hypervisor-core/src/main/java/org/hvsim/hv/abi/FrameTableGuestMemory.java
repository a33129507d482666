package org.hvsim.hv.abi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest memory made of machine frames listed in a table: frame {@code i} of the table backs the page
 * at guest-physical address {@code base + i * 4096}. This is how a PV dom0 sees its own RAM (its P2M
 * list) and frames it maps from other domains. Accesses crossing pages are split; an address outside
 * the table or on an invalid entry faults. Thread-safe as {@link GuestMemory} describes; the table is
 * not copied, its owner must not change it while the view is in use.
 */
public final class FrameTableGuestMemory extends SegmentBackedGuestMemory {

    private final MemorySegment machine;
    private final long[] frames;
    private final long base;

    /**
     * @param machine the whole machine memory, frame {@code m} at offset {@code m * 4096}
     * @param frames  the MFN backing each page ({@link Page#INVALID_FRAME} for a hole)
     * @param base    the guest-physical address of the first page (page aligned)
     */
    public FrameTableGuestMemory(MemorySegment machine, long[] frames, long base) {
        if ((base & Page.MASK) != 0) {
            throw new IllegalArgumentException("base must be page aligned: " + base);
        }
        this.machine = machine;
        this.frames = frames;
        this.base = base;
    }

    /** The machine offset of {@code address}, which must not cross its page for {@code length} bytes. */
    private long offset(long address, int length) {
        long rel = address - base;
        long index = rel >> Page.SHIFT;
        if (rel < 0 || index >= frames.length) {
            throw new GuestMemoryFault(address, "outside the mapped frames");
        }
        long mfn = frames[(int) index];
        if (mfn == Page.INVALID_FRAME || mfn < 0 || Page.addressOf(mfn) + Page.SIZE > machine.byteSize()) {
            throw new GuestMemoryFault(address, "no machine frame behind it");
        }
        if (Page.offsetIn(address) + length > Page.SIZE) {
            return -1;
        }
        return Page.addressOf(mfn) + Page.offsetIn(address);
    }

    @Override
    MemorySegment backing() {
        return machine;
    }

    @Override
    long aligned(long address, int size) {
        if ((address & (size - 1)) != 0) {
            throw new GuestMemoryFault(address, "misaligned " + size + "-byte atomic access");
        }
        return offset(address, size);
    }

    @Override public byte getByte(long a) { return machine.get(ValueLayout.JAVA_BYTE, offset(a, 1)); }
    @Override public void putByte(long a, byte v) { machine.set(ValueLayout.JAVA_BYTE, offset(a, 1), v); }

    @Override
    public short getShort(long a) {
        long o = offset(a, 2);
        return o >= 0 ? machine.get(SHORT, o) : (short) (getUnsignedByte(a) | getUnsignedByte(a + 1) << 8);
    }

    @Override
    public void putShort(long a, short v) {
        long o = offset(a, 2);
        if (o >= 0) {
            machine.set(SHORT, o, v);
        } else {
            putByte(a, (byte) v);
            putByte(a + 1, (byte) (v >> 8));
        }
    }

    @Override
    public int getInt(long a) {
        long o = offset(a, 4);
        return o >= 0 ? machine.get(INT, o) : getUnsignedShort(a) | getUnsignedShort(a + 2) << 16;
    }

    @Override
    public void putInt(long a, int v) {
        long o = offset(a, 4);
        if (o >= 0) {
            machine.set(INT, o, v);
        } else {
            putShort(a, (short) v);
            putShort(a + 2, (short) (v >>> 16));
        }
    }

    @Override
    public long getLong(long a) {
        long o = offset(a, 8);
        return o >= 0 ? machine.get(LONG, o) : getUnsignedInt(a) | getUnsignedInt(a + 4) << 32;
    }

    @Override
    public void putLong(long a, long v) {
        long o = offset(a, 8);
        if (o >= 0) {
            machine.set(LONG, o, v);
        } else {
            putInt(a, (int) v);
            putInt(a + 4, (int) (v >>> 32));
        }
    }

    @Override
    public void read(long a, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        checkRange(a, len);
        while (len > 0) {
            int n = Math.min(len, Page.SIZE - Page.offsetIn(a));
            MemorySegment.copy(machine, ValueLayout.JAVA_BYTE, offset(a, n), dst, off, n);
            a += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void write(long a, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        checkRange(a, len);
        while (len > 0) {
            int n = Math.min(len, Page.SIZE - Page.offsetIn(a));
            MemorySegment.copy(src, off, machine, ValueLayout.JAVA_BYTE, offset(a, n), n);
            a += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void read(long a, MemorySegment dst, long dstOffset, long len) {
        checkRange(a, len);
        while (len > 0) {
            int n = (int) Math.min(len, Page.SIZE - Page.offsetIn(a));
            MemorySegment.copy(machine, offset(a, n), dst, dstOffset, n);
            a += n;
            dstOffset += n;
            len -= n;
        }
    }

    @Override
    public void write(long a, MemorySegment src, long srcOffset, long len) {
        checkRange(a, len);
        while (len > 0) {
            int n = (int) Math.min(len, Page.SIZE - Page.offsetIn(a));
            MemorySegment.copy(src, srcOffset, machine, offset(a, n), n);
            a += n;
            srcOffset += n;
            len -= n;
        }
    }

    @Override
    public void fill(long a, long len, byte value) {
        checkRange(a, len);
        while (len > 0) {
            int n = (int) Math.min(len, Page.SIZE - Page.offsetIn(a));
            machine.asSlice(offset(a, n), n).fill(value);
            a += n;
            len -= n;
        }
    }

    private void checkRange(long a, long len) {
        if (!isAccessible(a, len)) {
            throw new GuestMemoryFault(a, "range of " + len + " bytes not entirely mapped");
        }
    }

    @Override
    public boolean isAccessible(long a, long len) {
        if (len < 0 || a < base) {
            return false;
        }
        if (len == 0) {
            return (a - base) >> Page.SHIFT <= frames.length;
        }
        long first = (a - base) >> Page.SHIFT;
        long last = (a - base + len - 1) >> Page.SHIFT;
        if (last >= frames.length || last < first) {
            return false;
        }
        for (long i = first; i <= last; i++) {
            long mfn = frames[(int) i];
            if (mfn == Page.INVALID_FRAME || mfn < 0 || Page.addressOf(mfn) + Page.SIZE > machine.byteSize()) {
                return false;
            }
        }
        return true;
    }
}
