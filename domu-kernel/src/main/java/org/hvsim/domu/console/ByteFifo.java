package org.hvsim.domu.console;

/**
 * A bounded first-in first-out queue of bytes: the console input the kernel has taken off the ring and
 * not yet handed to a reader. Threads: not thread-safe; {@link ConsoleDriver} guards it.
 */
final class ByteFifo {
    private final byte[] buf;
    private int head;
    private int size;

    ByteFifo(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.buf = new byte[capacity];
    }

    int size() {
        return size;
    }

    int free() {
        return buf.length - size;
    }

    /** Appends {@code src[off, off+len)}; the caller checks {@link #free()} first. */
    void put(byte[] src, int off, int len) {
        if (len > free()) {
            throw new IllegalArgumentException(len + " bytes do not fit in " + free());
        }
        for (int i = 0; i < len; i++) {
            buf[(head + size + i) % buf.length] = src[off + i];
        }
        size += len;
    }

    /** Moves up to {@code len} bytes into {@code dst[off..]}; returns how many. */
    int take(byte[] dst, int off, int len) {
        int n = Math.min(len, size);
        for (int i = 0; i < n; i++) {
            dst[off + i] = buf[(head + i) % buf.length];
        }
        head = (head + n) % buf.length;
        size -= n;
        return n;
    }
}
