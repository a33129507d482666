package org.hvsim.hv.console;

import java.nio.charset.StandardCharsets;

/**
 * Xen's console ring ({@code conring}): the last {@code size} bytes of hypervisor console output,
 * with free-running producer and consumer counters. {@code xl dmesg} reads it through
 * {@code XEN_SYSCTL_readconsole}; {@code -c} moves the consumer to the producer. Thread-safe.
 */
public final class ConsoleRing {
    /** Xen's default conring size. */
    public static final int DEFAULT_SIZE = 16 * 1024;

    private final byte[] ring;
    private final int mask;
    private long producer;
    private long consumer;

    public ConsoleRing(int size) {
        if (size <= 0 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two: " + size);
        }
        this.ring = new byte[size];
        this.mask = size - 1;
    }

    public synchronized void append(byte[] bytes) {
        for (byte b : bytes) {
            ring[(int) (producer++ & mask)] = b;
        }
    }

    public void append(String text) {
        append(text.getBytes(StandardCharsets.UTF_8));
    }

    /** What one readconsole call returns: the bytes and the index to continue from. */
    public record Chunk(byte[] data, long nextIndex) {}

    /**
     * Reads up to {@code max} bytes. Non-incremental reads start at the consumer; incremental ones at
     * {@code index} (but not before the consumer, nor before the oldest byte still in the ring).
     * With {@code clear}, the consumer moves to the producer afterwards.
     */
    public synchronized Chunk read(boolean incremental, long index, int max, boolean clear) {
        long start = incremental ? Math.max(index, consumer) : consumer;
        start = Math.max(start, producer - ring.length);
        start = Math.min(start, producer);
        int n = (int) Math.min(producer - start, Math.max(0, max));
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = ring[(int) ((start + i) & mask)];
        }
        if (clear) {
            consumer = producer;
        }
        return new Chunk(out, start + n);
    }

    public synchronized long producer() {
        return producer;
    }
}
