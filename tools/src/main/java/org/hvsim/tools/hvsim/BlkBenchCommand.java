package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.hvsim.bench.BlkBench;
import org.hvsim.tools.hvsim.bench.GuestBlkResult;
import org.hvsim.tools.hvsim.bench.baseline.PositionalIo;
import org.hvsim.tools.hvsim.bench.baseline.SharedMemoryRing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hvsim bench-blk [--seconds S] [--warmup S] [--rounds R] [--dir DIR] [--image-size SIZE] [--seq-depth D]
 * [--cpus N] [--memory SIZE]}: starts a host in a temporary HVSIM_HOME and measures guests' block I/O through
 * virtio-blk, each figure side by side with a native baseline in the same run, round by round (the order alternating):
 * (1) a null disk's 4 KiB random reads at queue depth 32 against a bare cross-process shared-memory ring of the
 * virtqueue's shape; (2) 4 KiB random reads at queue depth 32 on an image in DIR against a plain Java program
 * doing the same positional reads on the same file with 32 threads; (3) 1 MiB sequential reads and writes the
 * same way. Each comparison's ratio is the median over the rounds of hvsim ÷ baseline, printed with the
 * issue's target. Threads: the command's (and the baselines' own workers and consumer process).
 */
@Command(name = "bench-blk", description = "Measure guests' block I/O over virtio-blk against native baselines")
final class BlkBenchCommand extends HvsimSubcommand {
    /** Null-disk IOPS ÷ a bare shared-memory ring's messages per second: what the issue aims for. */
    static final double RING_TARGET = 0.5;
    /** Image I/O ÷ the same I/O done natively: what the issue aims for. */
    static final double NATIVE_TARGET = 0.9;
    private static final int SMALL = 4096;
    private static final int LARGE = 1 << 20;
    private static final int RANDOM_DEPTH = 32;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "Each measurement's duration (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "3",
            description = "An untimed guest run of each job (and a baseline run) first, so that the JIT compilers "
                    + "of both JVMs are done before the rounds (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
            description = "Side-by-side rounds of each comparison (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "/dev/shm",
            description = "Where the image and the ring's shared file live (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--image-size", paramLabel = "SIZE", defaultValue = "1G",
            description = "The image's size (default ${DEFAULT-VALUE}).")
    String imageSize;

    @Option(names = "--seq-depth", paramLabel = "D", defaultValue = "8",
            description = "Requests in flight in the 1 MiB sequential tests (default ${DEFAULT-VALUE}).")
    int seqDepth;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "2G",
            description = "The host's machine memory (default ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "2",
            description = "The host's pCPUs (default ${DEFAULT-VALUE}).")
    int cpus;

    /** One comparison: what the guest runs on which disk, and the baseline measured next to it. */
    private record Comparison(String title, String job, String target, String unit, double goal, Baseline baseline) {
    }

    /** A native measurement of {@code seconds}: operations (or MB) a second. */
    @FunctionalInterface
    private interface Baseline {
        double measure(int seconds) throws IOException, InterruptedException;
    }

    BlkBenchCommand(HvsimEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws HvsimFailure, IOException {
        long bytes;
        try {
            bytes = MemorySize.parseBytes(imageSize);
        } catch (IllegalArgumentException e) {
            throw new HvsimFailure("--image-size: " + e.getMessage(), 2);
        }
        if (seconds < 1 || seconds > 3600 || warmup < 0 || warmup > 3600 || rounds < 1 || rounds > 100
                || seqDepth < 1 || seqDepth > 32
                || cpus < 1 || bytes < 64L << 20 || bytes % LARGE != 0) {
            throw new HvsimFailure("--seconds must be 1..3600, --warmup 0..3600, --rounds 1..100, --seq-depth 1..32, "
                    + "--cpus at least 1, --image-size a whole number of MiB, at least 64M", 2);
        }
        if (!Files.isDirectory(dir)) {
            throw new HvsimFailure("--dir " + dir + " is not a directory", 2);
        }
        Path image = Files.createTempFile(dir, "hvsim-blk-", ".img");
        try {
            fill(image, bytes);
            return BenchHost.run(env, memory, cpus, (control, home) -> measure(control, image, bytes));
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private void measure(ControlPlane control, Path image, long bytes) throws IOException, HvsimFailure {
        env.out().printf("hvsim bench-blk: %d pCPUs, JDK %s, %s, load average %s; %d s per measurement, %d rounds "
                + "after %d s of warm-up%n", cpus, Runtime.version(), System.getProperty("os.name"), LoadAverage.read(),
                seconds, rounds, warmup);
        env.out().printf("image %s (%d MiB of random data)%n", image, bytes >> 20);
        env.out().flush();
        BlkBench guests = new BlkBench(control);
        List<Comparison> comparisons = List.of(
                new Comparison("(1) null disk, 4 KiB random reads, " + RANDOM_DEPTH + " in flight; baseline: a bare "
                        + "shared-memory ring between two processes, 4 KiB messages, " + RANDOM_DEPTH + " in flight",
                        "rw=randread bs=4k iodepth=" + RANDOM_DEPTH, "null:" + bytes, "IOPS", RING_TARGET,
                        s -> SharedMemoryRing.run(dir, RANDOM_DEPTH, SMALL, TimeUnit.SECONDS.toNanos(1),
                                TimeUnit.SECONDS.toNanos(s)).messagesPerSecond()),
                new Comparison("(2) 4 KiB random reads of the image, " + RANDOM_DEPTH + " in flight; baseline: "
                        + RANDOM_DEPTH + " Java threads' positional reads of the same file",
                        "rw=randread bs=4k iodepth=" + RANDOM_DEPTH, image.toString(), "IOPS", NATIVE_TARGET,
                        s -> PositionalIo.run(image, PositionalIo.Mode.RANDREAD, SMALL, RANDOM_DEPTH,
                                TimeUnit.SECONDS.toNanos(s)).opsPerSecond()),
                new Comparison("(3a) 1 MiB sequential reads of the image, " + seqDepth + " in flight; baseline: "
                        + seqDepth + " Java threads' positional reads of the same file",
                        "rw=read bs=1M iodepth=" + seqDepth, image.toString(), "MB/s", NATIVE_TARGET,
                        s -> PositionalIo.run(image, PositionalIo.Mode.SEQREAD, LARGE, seqDepth,
                                TimeUnit.SECONDS.toNanos(s)).megabytesPerSecond()),
                new Comparison("(3b) 1 MiB sequential writes to the image, " + seqDepth + " in flight; baseline: "
                        + seqDepth + " Java threads' positional writes to the same file",
                        "rw=write bs=1M iodepth=" + seqDepth, image.toString(), "MB/s", NATIVE_TARGET,
                        s -> PositionalIo.run(image, PositionalIo.Mode.SEQWRITE, LARGE, seqDepth,
                                TimeUnit.SECONDS.toNanos(s)).megabytesPerSecond()));
        for (Comparison c : comparisons) {
            compare(guests, c);
        }
    }

    private void compare(BlkBench guests, Comparison c) throws IOException, HvsimFailure {
        env.out().println(c.title());
        env.out().printf(Locale.ROOT, "  %-6s %14s %10s %10s %16s %8s%n", "round", "hvsim " + c.unit(), "p50 us",
                "p99 us", "baseline " + c.unit(), "ratio");
        env.out().flush();
        if (warmup > 0) {   // so that neither side's first round is its slowest
            guests.run(c.job(), c.target(), warmup);
            measureBaseline(c, warmup);
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double native1 = r % 2 == 1 ? measureBaseline(c, seconds) : 0;
            GuestBlkResult g = guests.run(c.job(), c.target(), seconds);
            if (g.ioErrors() != 0) {
                throw new HvsimFailure("the guest's " + c.job() + " had " + g.ioErrors() + " I/O errors", 1);
            }
            double nativeRate = r % 2 == 1 ? native1 : measureBaseline(c, seconds);
            double hvsim = c.unit().equals("IOPS") ? g.iops() : g.megabytesPerSecond();
            ratios[r] = hvsim / nativeRate;
            env.out().printf(Locale.ROOT, "  %-6d %,14.0f %,10.1f %,10.1f %,16.0f %8.3f%n", r + 1, hvsim, g.p50Ns() / 1e3,
                    g.p99Ns() / 1e3, nativeRate, ratios[r]);
            env.out().flush();
        }
        double median = median(ratios);
        env.out().printf(Locale.ROOT, "  ratio, median of %d round%s: %.3f (target >= %.1f): %s%n", rounds,
                rounds == 1 ? "" : "s", median, c.goal(), median >= c.goal() ? "met" : "NOT met");
        env.out().flush();
    }

    private static double measureBaseline(Comparison c, int s) throws IOException {
        try {
            return c.baseline().measure(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Writes {@code bytes} of random data to {@code image} (a file in tmpfs holds every page, as a disk would). */
    private static void fill(Path image, long bytes) throws IOException {
        SplittableRandom rnd = new SplittableRandom(0x6b6c62L);
        ByteBuffer chunk = ByteBuffer.allocateDirect(LARGE);
        while (chunk.hasRemaining()) {
            chunk.putLong(rnd.nextLong());
        }
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            for (long at = 0; at < bytes; at += LARGE) {
                chunk.clear();
                chunk.putLong(0, rnd.nextLong());
                while (chunk.hasRemaining()) {
                    ch.write(chunk, at + chunk.position());
                }
            }
        }
    }
}
