package org.hvsim.it;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real host for a test: a hypervisor process and its dom0 process, started with
 * {@code tools/bin/hvsim start} in a temporary HVSIM_HOME, driven with {@code tools/bin/xl} and gRPC.
 * {@link #close} stops it and then kills any process left whose command line names its home, and
 * removes its files, whatever state the test left it in.
 */
public final class Host implements AutoCloseable {
    public static final Path ROOT = Path.of(System.getProperty("hvsim.root", "..")).toAbsolutePath().normalize();
    static final Path HVSIM = ROOT.resolve("tools/bin/hvsim");
    static final Path XL = ROOT.resolve("tools/bin/xl");

    private final Path home;
    private EventLoopGroup group;
    private ManagedChannel channel;

    private Host(Path home) {
        this.home = home;
    }

    /** Starts a host with {@code memory} (e.g. "2G") and {@code cpus} pCPUs. */
    public static Host start(String memory, int cpus, String... extra) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("hvsim-it-");
        Host h = new Host(home);
        List<String> args = new ArrayList<>(List.of("start", "--memory", memory, "--cpus", Integer.toString(cpus)));
        args.addAll(List.of(extra));
        try {
            h.hvsim(args.toArray(String[]::new)).expectOk();
        } catch (AssertionError | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    public Path home() {
        return home;
    }

    public Run hvsim(String... args) throws IOException, InterruptedException {
        return run(HVSIM, null, args);
    }

    public Run xl(String... args) throws IOException, InterruptedException {
        return run(XL, null, args);
    }

    /** xl with {@code input} on its standard input. */
    public Run xlWithInput(String input, String... args) throws IOException, InterruptedException {
        return run(XL, input, args);
    }

    /** Runs {@code tool} with HVSIM_HOME set to this host's home, waiting at most two minutes. */
    public Run run(Path tool, String input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("HVSIM_HOME", home.toString());
        Process p = pb.start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish within 2 minutes");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** A config file in the host's home. */
    public Path config(String name, String text) throws IOException {
        Path f = home.resolve(name + ".cfg");
        Files.writeString(f, text);
        return f;
    }

    /** The gRPC channel to the control plane. */
    public synchronized ManagedChannel channel() {
        if (channel == null) {
            group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(home.resolve("control.sock").toString()))
                    .eventLoopGroup(group).channelType(EpollDomainSocketChannel.class).usePlaintext().build();
        }
        return channel;
    }

    public String consoleLog(String domainName) throws IOException {
        Path log = home.resolve("log/console/guest-" + domainName + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public long hypervisorPid() throws IOException {
        return Long.parseLong(Files.readString(home.resolve("hypervisor.pid")).strip());
    }

    /** The processes of this host (every process whose command line names its home). */
    public List<ProcessHandle> processes() {
        String marker = home.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .toList();
    }

    public static void await(BooleanSupplier cond, long timeoutMs, String what) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.shutdownNow();
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            hvsim("stop");
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The safety net below still runs.
        } finally {
            for (ProcessHandle p : processes()) {
                p.destroyForcibly();
            }
            try (Stream<Path> s = Files.walk(home)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Path target = Files.isSymbolicLink(p) ? Files.readSymbolicLink(p) : null;
                    Files.deleteIfExists(p);
                    if (target != null && target.startsWith("/dev/shm")) {
                        Files.deleteIfExists(target);
                    }
                }
            } catch (IOException e) {
                // Best effort: a temporary directory.
            }
        }
    }
}
