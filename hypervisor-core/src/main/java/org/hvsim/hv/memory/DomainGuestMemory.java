package org.hvsim.hv.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.GuestMemoryFault;
import org.hvsim.hv.abi.Page;

/**
 * A domain's guest-physical memory, translated through its {@link P2m} into {@link MachineMemory}: what
 * a guest kernel and the hypervisor acting for it use. An unpopulated or out-of-range page faults;
 * accesses that cross a page boundary are split inside, each page translated on its own (consecutive
 * gpfns are seldom consecutive MFNs). Each access calls the {@link PreemptionHook} once, first, then
 * translates under the domain's {@link TranslationGuard} so a frame it uses is not freed under it.
 *
 * <p>Threads: any, as {@link GuestMemory} says; the view holds no mutable state.
 */
public final class DomainGuestMemory implements GuestMemory {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_ATOMIC = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle INT_ATOMIC = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle LONG_ATOMIC = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final DomainMemory domain;
    private final P2m p2m;
    private final TranslationGuard guard;
    private final MemorySegment ram;
    private final PreemptionHook hook;

    public DomainGuestMemory(DomainMemory domain, PreemptionHook hook) {
        this.domain = Objects.requireNonNull(domain);
        this.p2m = domain.p2m;
        this.guard = domain.guard;
        this.ram = domain.host().machine().segment();
        this.hook = Objects.requireNonNull(hook);
    }

    public DomainMemory domain() {
        return domain;
    }

    /** Machine address of guest-physical {@code address}; faults if its page is not populated. */
    private long translate(long address) {
        long mfn = p2m.lookup(address >>> Page.SHIFT);
        if (mfn == Page.INVALID_FRAME) {
            throw unmapped(address);
        }
        return (mfn << Page.SHIFT) | (address & Page.MASK);
    }

    private GuestMemoryFault unmapped(long address) {
        return new GuestMemoryFault(address, "gpfn 0x" + Long.toHexString(address >>> Page.SHIFT)
                + " is not populated in d" + domain.domid());
    }

    private static boolean fitsInPage(long address, int size) {
        return (address & Page.MASK) <= Page.SIZE - size;
    }

    private static long aligned(long address, int size) {
        if ((address & (size - 1)) != 0) {
            throw new GuestMemoryFault(address, "misaligned " + size + "-byte atomic access");
        }
        return address;
    }

    // ---- scalars ----

    @Override
    public byte getByte(long a) {
        hook.check();
        int t = guard.enter();
        try {
            return ram.get(ValueLayout.JAVA_BYTE, translate(a));
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public void putByte(long a, byte v) {
        hook.check();
        int t = guard.enter();
        try {
            ram.set(ValueLayout.JAVA_BYTE, translate(a), v);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public short getShort(long a) {
        hook.check();
        int t = guard.enter();
        try {
            return fitsInPage(a, 2) ? ram.get(SHORT, translate(a)) : (short) loadSplit(a, 2);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public void putShort(long a, short v) {
        hook.check();
        int t = guard.enter();
        try {
            if (fitsInPage(a, 2)) {
                ram.set(SHORT, translate(a), v);
            } else {
                storeSplit(a, 2, v);
            }
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public int getInt(long a) {
        hook.check();
        int t = guard.enter();
        try {
            return fitsInPage(a, 4) ? ram.get(INT, translate(a)) : (int) loadSplit(a, 4);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public void putInt(long a, int v) {
        hook.check();
        int t = guard.enter();
        try {
            if (fitsInPage(a, 4)) {
                ram.set(INT, translate(a), v);
            } else {
                storeSplit(a, 4, v);
            }
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public long getLong(long a) {
        hook.check();
        int t = guard.enter();
        try {
            return fitsInPage(a, 8) ? ram.get(LONG, translate(a)) : loadSplit(a, 8);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public void putLong(long a, long v) {
        hook.check();
        int t = guard.enter();
        try {
            if (fitsInPage(a, 8)) {
                ram.set(LONG, translate(a), v);
            } else {
                storeSplit(a, 8, v);
            }
        } finally {
            guard.exit(t);
        }
    }

    /** A little-endian value of {@code size} bytes whose bytes span two pages. */
    private long loadSplit(long a, int size) {
        long first = translate(a);
        long second = translate(a + size - 1);
        int inFirst = Page.SIZE - (int) (a & Page.MASK);
        long value = 0;
        for (int i = 0; i < size; i++) {
            long ma = i < inFirst ? first + i : (second & ~Page.MASK) + (i - inFirst);
            value |= (ram.get(ValueLayout.JAVA_BYTE, ma) & 0xffL) << (8 * i);
        }
        return value;
    }

    /** Both pages are translated before the first byte is written, so a fault writes nothing. */
    private void storeSplit(long a, int size, long value) {
        long first = translate(a);
        long second = translate(a + size - 1);
        int inFirst = Page.SIZE - (int) (a & Page.MASK);
        for (int i = 0; i < size; i++) {
            long ma = i < inFirst ? first + i : (second & ~Page.MASK) + (i - inFirst);
            ram.set(ValueLayout.JAVA_BYTE, ma, (byte) (value >>> (8 * i)));
        }
    }

    // ---- bulk: one guard section per page, so a long copy never holds up a free for long ----

    @Override
    public void read(long a, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        hook.check();
        checkRange(a, len);
        for (int done = 0; done < len; ) {
            int n = (int) chunk(a + done, len - done);
            int t = guard.enter();
            try {
                MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, translate(a + done), dst, off + done, n);
            } finally {
                guard.exit(t);
            }
            done += n;
        }
    }

    @Override
    public void write(long a, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        hook.check();
        checkRange(a, len);
        for (int done = 0; done < len; ) {
            int n = (int) chunk(a + done, len - done);
            int t = guard.enter();
            try {
                MemorySegment.copy(src, off + done, ram, ValueLayout.JAVA_BYTE, translate(a + done), n);
            } finally {
                guard.exit(t);
            }
            done += n;
        }
    }

    @Override
    public void read(long a, MemorySegment dst, long dstOffset, long len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.byteSize());
        hook.check();
        checkRange(a, len);
        for (long done = 0; done < len; ) {
            long n = chunk(a + done, len - done);
            int t = guard.enter();
            try {
                MemorySegment.copy(ram, translate(a + done), dst, dstOffset + done, n);
            } finally {
                guard.exit(t);
            }
            done += n;
        }
    }

    @Override
    public void write(long a, MemorySegment src, long srcOffset, long len) {
        Objects.checkFromIndexSize(srcOffset, len, src.byteSize());
        hook.check();
        checkRange(a, len);
        for (long done = 0; done < len; ) {
            long n = chunk(a + done, len - done);
            int t = guard.enter();
            try {
                MemorySegment.copy(src, srcOffset + done, ram, translate(a + done), n);
            } finally {
                guard.exit(t);
            }
            done += n;
        }
    }

    @Override
    public void fill(long a, long len, byte value) {
        hook.check();
        checkRange(a, len);
        for (long done = 0; done < len; ) {
            long n = chunk(a + done, len - done);
            int t = guard.enter();
            try {
                ram.asSlice(translate(a + done), n).fill(value);
            } finally {
                guard.exit(t);
            }
            done += n;
        }
    }

    /**
     * Faults unless every page of {@code [a, a + len)} is populated, so a bulk access that faults touches
     * nothing (unless the guest races it with its own balloon, when the copy may stop part way).
     */
    private void checkRange(long a, long len) {
        if (len < 0 || a < 0 || a > Long.MAX_VALUE - len) {
            throw new GuestMemoryFault(a, "bad range of " + len + " bytes");
        }
        if (len == 0) {
            return;
        }
        long last = (a + len - 1) >>> Page.SHIFT;
        for (long gpfn = a >>> Page.SHIFT; gpfn <= last; gpfn++) {
            if (p2m.lookup(gpfn) == Page.INVALID_FRAME) {
                throw unmapped(Math.max(a, gpfn << Page.SHIFT));
            }
        }
    }

    /** Bytes from {@code at} to the end of its page, at most {@code left}. */
    private static long chunk(long at, long left) {
        return Math.min(left, Page.SIZE - (at & Page.MASK));
    }

    // ---- ordered and atomic (naturally aligned, so never split) ----

    @Override
    public short getShortAcquire(long a) {
        hook.check();
        int t = guard.enter();
        try {
            return (short) SHORT_ATOMIC.getAcquire(ram, translate(aligned(a, 2)));
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public void putShortRelease(long a, short v) {
        hook.check();
        int t = guard.enter();
        try {
            SHORT_ATOMIC.setRelease(ram, translate(aligned(a, 2)), v);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public int getIntAcquire(long a) {
        hook.check();
        int t = guard.enter();
        try {
            return (int) INT_ATOMIC.getAcquire(ram, translate(aligned(a, 4)));
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public void putIntRelease(long a, int v) {
        hook.check();
        int t = guard.enter();
        try {
            INT_ATOMIC.setRelease(ram, translate(aligned(a, 4)), v);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public long getLongAcquire(long a) {
        hook.check();
        int t = guard.enter();
        try {
            return (long) LONG_ATOMIC.getAcquire(ram, translate(aligned(a, 8)));
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public void putLongRelease(long a, long v) {
        hook.check();
        int t = guard.enter();
        try {
            LONG_ATOMIC.setRelease(ram, translate(aligned(a, 8)), v);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public long getAndBitwiseOrLong(long a, long mask) {
        hook.check();
        int t = guard.enter();
        try {
            return (long) LONG_ATOMIC.getAndBitwiseOr(ram, translate(aligned(a, 8)), mask);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public long getAndBitwiseAndLong(long a, long mask) {
        hook.check();
        int t = guard.enter();
        try {
            return (long) LONG_ATOMIC.getAndBitwiseAnd(ram, translate(aligned(a, 8)), mask);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public int compareAndExchangeInt(long a, int expected, int newValue) {
        hook.check();
        int t = guard.enter();
        try {
            return (int) INT_ATOMIC.compareAndExchange(ram, translate(aligned(a, 4)), expected, newValue);
        } finally {
            guard.exit(t);
        }
    }

    @Override
    public boolean isAccessible(long a, long len) {
        if (len < 0 || a < 0 || a > Long.MAX_VALUE - len) {
            return false;
        }
        if (len == 0) {
            return true;
        }
        long last = (a + len - 1) >>> Page.SHIFT;
        for (long gpfn = a >>> Page.SHIFT; gpfn <= last; gpfn++) {
            if (p2m.lookup(gpfn) == Page.INVALID_FRAME) {
                return false;
            }
        }
        return true;
    }
}
