package org.hvsim.it;

import com.google.protobuf.Empty;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.DomainServiceGrpc;
import org.hvsim.proto.control.HostInfo;
import org.hvsim.proto.control.HostServiceGrpc;
import org.hvsim.proto.control.ListDomainsRequest;

/**
 * A real host for a test: a hypervisor process and its dom0 process, started with
 * {@code tools/bin/hvsim start} in a temporary HVSIM_HOME, driven with {@code tools/bin/xl} and gRPC.
 * {@link #close} stops it and then kills any process left whose command line names its home, and
 * removes its files, whatever state the test left it in; a JVM shutdown hook does the same for a host
 * a test run left open.
 *
 * <p>Threads: the test's thread; {@link #close} may also run on the shutdown hook's thread.
 */
public final class Host implements AutoCloseable {
    public static final Path ROOT = Path.of(System.getProperty("hvsim.root", "..")).toAbsolutePath().normalize();
    static final Path HVSIM = ROOT.resolve("tools/bin/hvsim");
    static final Path XL = ROOT.resolve("tools/bin/xl");
    /** The main class of the dom0 process (the hypervisor's child). */
    static final String DOM0_MAIN = "org.hvsim.dom0.Dom0Main";
    /** Deadline of one gRPC call made by a helper here. */
    static final long CALL_TIMEOUT_MS = 10_000;

    private final Path home;
    private final Thread shutdownHook;
    private EventLoopGroup group;
    private ManagedChannel channel;
    private boolean closed;

    private Host(Path home) {
        this.home = home;
        this.shutdownHook = new Thread(this::close, "host-close-" + home.getFileName());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a host with {@code memory} (e.g. "1G") and {@code cpus} pCPUs. */
    public static Host start(String memory, int cpus, String... extra) throws IOException, InterruptedException {
        Host h = create();
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

    /** A fresh home with no host started in it yet (for tests of {@code hvsim start} itself). */
    public static Host create() throws IOException {
        return new Host(Files.createTempDirectory("hvsim-it-"));
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

    /** xl with {@code input} on its standard input, which is then closed. */
    public Run xlWithInput(String input, String... args) throws IOException, InterruptedException {
        return run(XL, input, args);
    }

    /** xl running in the background, its standard input open for {@link LiveProcess#write}. */
    public LiveProcess spawnXl(String... args) throws IOException {
        List<String> cmd = command(XL, args);
        return new LiveProcess(cmd, processBuilder(cmd).start());
    }

    /** Runs {@code tool} with HVSIM_HOME set to this host's home, waiting at most two minutes. */
    public Run run(Path tool, String input, String... args) throws IOException, InterruptedException {
        List<String> cmd = command(tool, args);
        Process p = processBuilder(cmd).start();
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

    private static List<String> command(Path tool, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private ProcessBuilder processBuilder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("HVSIM_HOME", home.toString());
        return pb;
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

    // ---------------------------------------------------------------------------------------------
    // What xl says
    // ---------------------------------------------------------------------------------------------

    /** {@code xl list}, run and parsed strictly (header and every row in Xen's format). */
    public List<DomainRow> list() throws IOException, InterruptedException {
        return DomainRow.parseList(xl("list").expectOk().out());
    }

    /** The row {@code xl list} shows for the domain called {@code name}, if any. */
    public Optional<DomainRow> row(String name) throws IOException, InterruptedException {
        return list().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** {@code xl info free_memory}, in MiB. */
    public long freeMemory() throws IOException, InterruptedException {
        return Long.parseLong(xl("info", "free_memory").expectOk().out().strip());
    }

    // ---------------------------------------------------------------------------------------------
    // What the control plane says (cheap enough to poll)
    // ---------------------------------------------------------------------------------------------

    /** The gRPC channel to the control plane. */
    public synchronized ManagedChannel channel() {
        if (channel == null) {
            group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(home.resolve("control.sock").toString()))
                    .eventLoopGroup(group).channelType(EpollDomainSocketChannel.class).usePlaintext().build();
        }
        return channel;
    }

    public DomainServiceGrpc.DomainServiceBlockingStub domainService() {
        return DomainServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    public HostServiceGrpc.HostServiceBlockingStub hostService() {
        return HostServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Every domain, as ListDomains gives it. */
    public List<DomainInfo> domains() {
        return domainService().listDomains(ListDomainsRequest.getDefaultInstance()).getDomainsList();
    }

    /** The domain called {@code name}, if there is one. */
    public Optional<DomainInfo> domain(String name) {
        return domains().stream().filter(d -> d.getName().equals(name)).findFirst();
    }

    public HostInfo hostInfo() {
        return hostService().getHostInfo(Empty.getDefaultInstance());
    }

    /**
     * Waits until free memory is {@code expectedMib} again (a destroyed domain's memory is freed when the
     * hypervisor has reaped it), then checks that {@code xl info free_memory} says so too.
     */
    public void awaitFreeMemory(long expectedMib, long timeoutMs) throws IOException, InterruptedException {
        await(() -> hostInfo().getFreeMemory() == expectedMib, timeoutMs,
                () -> "free memory to return to " + expectedMib + " MiB; it is " + hostInfo().getFreeMemory()
                        + " MiB, domains " + domains().stream().map(d -> d.getName() + "/" + d.getDomid()).toList());
        long xl = freeMemory();
        if (xl != expectedMib) {
            throw new AssertionError("xl info free_memory says " + xl + " MiB, expected " + expectedMib);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Files and processes
    // ---------------------------------------------------------------------------------------------

    public String consoleLog(String domainName) throws IOException {
        Path log = home.resolve("log/console/guest-" + domainName + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The hypervisor's log ({@code log/hypervisor.out}). */
    public String hypervisorLog() throws IOException {
        Path log = home.resolve("log/hypervisor.out");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public long hypervisorPid() throws IOException {
        return Long.parseLong(Files.readString(home.resolve("hypervisor.pid")).strip());
    }

    /** The dom0 process: the hypervisor's child running dom0's main class, if it is alive now. */
    public Optional<ProcessHandle> dom0() throws IOException {
        return ProcessHandle.of(hypervisorPid()).stream()
                .flatMap(ProcessHandle::children)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(DOM0_MAIN)).orElse(false))
                .findFirst();
    }

    /** The processes of this host: every process with this home, or a path under it, among its arguments. */
    public List<ProcessHandle> processes() {
        String marker = home.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> namesHome(args, marker)).orElse(false))
                .toList();
    }

    private static boolean namesHome(String[] args, String home) {
        for (String a : args) {
            int at = a.indexOf(home);
            while (at >= 0) {
                int end = at + home.length();
                if (end == a.length() || a.charAt(end) == '/' || a.charAt(end) == ' ') {
                    return true;
                }
                at = a.indexOf(home, at + 1);
            }
        }
        return false;
    }

    public static void await(BooleanSupplier cond, long timeoutMs, String what) {
        await(cond, timeoutMs, () -> what);
    }

    /** Polls {@code cond} every 20 ms until it holds; after {@code timeoutMs} an AssertionError naming {@code what}. */
    public static void await(BooleanSupplier cond, long timeoutMs, Supplier<String> what) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what.get());
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: this close is the one that counts.
            }
        }
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
