package org.hvsim.tools.hvsim.bench.baseline;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bare baseline of hvsim's I/O path: two processes and a split-virtqueue-shaped ring in a shared
 * file in {@code /dev/shm} ({@link RingLayout}), nothing else. This process is the driver: it keeps
 * {@code depth} descriptors of {@code messageBytes} in flight, publishing each on the available ring and
 * reaping it from the used ring; the consumer process ({@link SharedMemoryRingConsumer}) returns each at
 * once. Both sides poll (no notifications), so this is the most a ring of this shape carries between two
 * processes on the machine: messages per second.
 *
 * <p>Threads: the caller's; the consumer is a child process, stopped and reaped before {@link #run} returns.
 */
public final class SharedMemoryRing {
    /** Messages completed in {@code elapsedNs}. */
    public record Result(long messages, long elapsedNs) {
        public double messagesPerSecond() {
            return messages * 1e9 / elapsedNs;
        }
    }

    private SharedMemoryRing() {}

    /**
     * Runs the ring for {@code durationNs} (after {@code warmupNs}) with {@code depth} messages in flight; each
     * phase completes at least {@code depth} messages, however long that takes.
     */
    public static Result run(Path dir, int depth, int messageBytes, long warmupNs, long durationNs)
            throws IOException, InterruptedException {
        if (depth < 1 || depth > RingLayout.SIZE) {
            throw new IllegalArgumentException("depth " + depth + " outside 1.." + RingLayout.SIZE);
        }
        Path file = Files.createTempFile(dir, "hvsim-ring-", ".shm");
        Process consumer = null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            ch.write(java.nio.ByteBuffer.allocate(1), RingLayout.BYTES - 1);
            MemorySegment m = ch.map(FileChannel.MapMode.READ_WRITE, 0, RingLayout.BYTES, arena);
            String java = ProcessHandle.current().info().command().orElse("java");
            consumer = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    SharedMemoryRingConsumer.class.getName(), file.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (RingLayout.acquireInt(m, RingLayout.READY) == 0) {
                if (System.nanoTime() > readyBy || !consumer.isAlive()) {
                    throw new IOException("the ring's consumer process did not start");
                }
                Thread.onSpinWait();
            }
            State s = new State();
            drive(m, s, depth, messageBytes, warmupNs);
            return drive(m, s, depth, messageBytes, durationNs);
        } finally {
            if (consumer != null) {
                stop(file, consumer);
            }
            Files.deleteIfExists(file);
        }
    }

    /** The driver's side of the ring, carried from the warm-up into the measured run. */
    private static final class State {
        final ArrayDeque<Integer> free = new ArrayDeque<>();
        int avail;
        int lastUsed;
        int inFlight;

        State() {
            for (int i = 0; i < RingLayout.SIZE; i++) {
                free.push(i);
            }
        }
    }

    private static Result drive(MemorySegment m, State s, int depth, int messageBytes, long durationNs) {
        long messages = 0;
        long start = System.nanoTime();
        long deadline = start + durationNs;
        while (true) {
            boolean queued = false;
            while (s.inFlight < depth) {
                int id = s.free.pop();
                long desc = RingLayout.DESC + 16L * id;
                m.set(ValueLayout.JAVA_LONG_UNALIGNED, desc, (long) id << 12);
                m.set(ValueLayout.JAVA_INT_UNALIGNED, desc + 8, messageBytes);
                m.set(ValueLayout.JAVA_SHORT_UNALIGNED, desc + 12, (short) 0);
                m.set(ValueLayout.JAVA_SHORT_UNALIGNED, RingLayout.AVAIL + 4 + 2L * (s.avail % RingLayout.SIZE),
                        (short) id);
                s.avail = (s.avail + 1) & 0xffff;
                s.inFlight++;
                queued = true;
            }
            if (queued) {
                RingLayout.releaseShort(m, RingLayout.AVAIL + 2, s.avail);
            }
            int used = RingLayout.acquireShort(m, RingLayout.USED + 2);
            while (s.lastUsed != used) {
                int id = m.get(ValueLayout.JAVA_INT_UNALIGNED, RingLayout.USED + 4 + 8L * (s.lastUsed % RingLayout.SIZE));
                s.free.push(id);
                s.lastUsed = (s.lastUsed + 1) & 0xffff;
                s.inFlight--;
                messages++;
            }
            if (messages >= depth && System.nanoTime() >= deadline) {
                return new Result(messages, System.nanoTime() - start);
            }
            Thread.onSpinWait();
        }
    }

    private static void stop(Path file, Process consumer) throws InterruptedException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            RingLayout.releaseInt(ch.map(FileChannel.MapMode.READ_WRITE, 0, RingLayout.BYTES, arena), RingLayout.STOP, 1);
        } catch (IOException e) {
            consumer.destroyForcibly();
        }
        if (!consumer.waitFor(10, TimeUnit.SECONDS)) {
            consumer.destroyForcibly();
            consumer.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
