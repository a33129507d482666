package org.hvsim.tools.hvsim.bench.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a plain Java program gets from a file, the baseline of hvsim's block benchmarks: {@code depth}
 * threads, each with its own direct buffer, doing positional reads or writes of {@code blockSize} bytes
 * (random block offsets, or each thread its own sequential stream) for a while (each at least once); no
 * hypervisor, no rings.
 *
 * <p>Threads: {@link #run} starts and joins its own worker threads.
 */
public final class PositionalIo {
    /** What the workers do. */
    public enum Mode { RANDREAD, SEQREAD, SEQWRITE }

    /** Operations and bytes done in {@code elapsedNs}. */
    public record Result(long ops, long bytes, long elapsedNs) {
        public double opsPerSecond() {
            return ops * 1e9 / elapsedNs;
        }

        public double megabytesPerSecond() {
            return bytes * 1e3 / elapsedNs;
        }
    }

    private PositionalIo() {}

    /** Runs {@code depth} workers on {@code file} for {@code durationNs}. */
    public static Result run(Path file, Mode mode, int blockSize, int depth, long durationNs) throws IOException {
        try (FileChannel ch = FileChannel.open(file, mode == Mode.SEQWRITE
                ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                : new StandardOpenOption[] {StandardOpenOption.READ})) {
            long blocks = ch.size() / blockSize;
            if (blocks < depth) {
                throw new IOException(file + " holds " + blocks + " blocks of " + blockSize + " bytes; need " + depth);
            }
            AtomicLong ops = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            long start = System.nanoTime();
            long deadline = start + durationNs;
            for (int w = 0; w < depth; w++) {
                int id = w;
                workers.add(Thread.ofPlatform().name("baseline-" + w).start(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(blockSize);
                    SplittableRandom rnd = new SplittableRandom(id * 7919L + 1);
                    long stride = blocks / depth;
                    long next = id * stride;
                    long done = 0;
                    try {
                        do {
                            long block = mode == Mode.RANDREAD ? rnd.nextLong(blocks) : next;
                            next = next + 1 < (id + 1) * stride ? next + 1 : id * stride;
                            buf.clear();
                            long at = block * blockSize;
                            while (buf.hasRemaining()) {
                                int n = mode == Mode.SEQWRITE ? ch.write(buf, at + buf.position())
                                        : ch.read(buf, at + buf.position());
                                if (n < 0) {
                                    throw new IOException("end of file at " + (at + buf.position()));
                                }
                            }
                            done++;
                        } while (System.nanoTime() < deadline);
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                    }
                    ops.addAndGet(done);
                }));
            }
            for (Thread t : workers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            long elapsed = System.nanoTime() - start;
            if (!failures.isEmpty()) {
                throw new IOException("a baseline worker failed: " + failures.getFirst(), failures.getFirst());
            }
            return new Result(ops.get(), ops.get() * blockSize, elapsed);
        }
    }
}
