package org.hvsim.domu.blk;

import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;

/**
 * A buffer of whole guest pages, not necessarily contiguous: what a request's data lives in, page by
 * page as a device grants and maps it. Reads and writes by offset cross pages inside.
 *
 * <p>Threads: the workload's vCPU (the device reads and writes the pages themselves while it holds a
 * request).
 */
public final class GuestBuffer {
    private final GuestMemory memory;
    private final long[] pages;
    private final int length;

    /**
     * @param pages guest-physical addresses of page-aligned pages, in order
     * @param length bytes, at most {@code pages.length} pages
     */
    public GuestBuffer(GuestMemory memory, long[] pages, int length) {
        if (length <= 0 || (long) pages.length * Page.SIZE < length) {
            throw new IllegalArgumentException(length + " bytes in " + pages.length + " pages");
        }
        for (long p : pages) {
            if (p % Page.SIZE != 0) {
                throw new IllegalArgumentException("page address 0x" + Long.toHexString(p) + " is not page-aligned");
            }
        }
        this.memory = memory;
        this.pages = pages.clone();
        this.length = length;
    }

    /** A buffer of {@code length} bytes in pages {@code zeroedFrame} hands out (frame numbers, zeroed). */
    public static GuestBuffer allocate(GuestMemory memory, int length, java.util.function.LongSupplier zeroedFrame) {
        long[] addresses = new long[(length + Page.SIZE - 1) / Page.SIZE];
        for (int p = 0; p < addresses.length; p++) {
            addresses[p] = Page.addressOf(zeroedFrame.getAsLong());
        }
        return new GuestBuffer(memory, addresses, length);
    }

    public int length() {
        return length;
    }

    /** The guest-physical address of page {@code i}. */
    public long page(int i) {
        return pages[i];
    }

    public int pageCount() {
        return (length + Page.SIZE - 1) / Page.SIZE;
    }

    /** Copies {@code len} bytes of {@code src} from {@code srcOff} into the buffer at {@code at}. */
    public void write(int at, byte[] src, int srcOff, int len) {
        check(at, len);
        int done = 0;
        while (done < len) {
            int pos = at + done;
            int inPage = Math.min(len - done, Page.SIZE - pos % Page.SIZE);
            memory.write(pages[pos / Page.SIZE] + pos % Page.SIZE, src, srcOff + done, inPage);
            done += inPage;
        }
    }

    /** Copies {@code len} bytes of the buffer from {@code at} into {@code dst} at {@code dstOff}. */
    public void read(int at, byte[] dst, int dstOff, int len) {
        check(at, len);
        int done = 0;
        while (done < len) {
            int pos = at + done;
            int inPage = Math.min(len - done, Page.SIZE - pos % Page.SIZE);
            memory.read(pages[pos / Page.SIZE] + pos % Page.SIZE, dst, dstOff + done, inPage);
            done += inPage;
        }
    }

    private void check(int at, int len) {
        if (at < 0 || len < 0 || at + len > length) {
            throw new IndexOutOfBoundsException(len + " bytes at " + at + " of a " + length + "-byte buffer");
        }
    }
}
