package org.hvsim.tools.xl.training;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.tools.client.TemporaryDirectory;
import org.hvsim.tools.client.UnixSocketConnector;
import org.hvsim.tools.xl.XlCommandLine;
import org.hvsim.tools.xl.XlEnvironment;
import org.hvsim.tools.xl.console.Terminal;

/**
 * The training run for xl's AOT cache ({@code tools/bin/xl} runs it once per set of jars, with
 * {@code -XX:AOTCacheOutput}): starts {@link CannedHostServer} as a separate process (so that no server
 * class lands in the cache, which the JVM loads whole at every start) on a socket in a fresh temporary
 * directory, and runs xl's common commands against it, each over its own connection as a real invocation
 * would, so the cache holds the classes (and profiles) of parsing, connecting, calling and formatting.
 * Output is discarded.
 * With {@code --native-dir <dir>} it also writes netty's epoll library there, so that xl can load it from
 * {@code java.library.path} instead of netty unpacking it from its jar into /tmp on every run.
 * Exits 0 if every command did as expected, 1 otherwise.
 */
public final class XlTraining {
    /** Each workload runs this often, so that the profiles see the hot paths more than once. */
    static final int ROUNDS = 3;

    private static final String CONFIG = """
            name = "training"
            memory = 128
            vcpus = 2
            cpus = "0-1"
            kernel = "idle"
            cmdline = "app=idle"
            disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/null' ]
            vif = [ 'mac=00:16:3e:00:00:01, bridge=xenbr0' ]
            on_crash = "preserve"
            """;

    private XlTraining() {
    }

    /** One xl invocation and the exit code it should have against the canned host. */
    private record Workload(int expectedExit, String... args) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--native-dir")) {
            extractNativeLibrary(Path.of(args[1]));
        } else if (args.length != 0) {
            System.err.println("usage: XlTraining [--native-dir <dir>]");
            System.exit(2);
        }
        int failures = 0;
        try (TemporaryDirectory tmp = TemporaryDirectory.create("hvsim-xl-training")) {
            Path dir = tmp.path();
            Path config = Files.writeString(dir.resolve("training.cfg"), CONFIG);
            Path socket = dir.resolve("control.sock");
            List<Workload> workloads = List.of(
                    new Workload(0, "list"),
                    new Workload(0, "list", "-v"),
                    new Workload(0, "list", "Domain-0"),
                    new Workload(0, "list", "-l"),
                    new Workload(1, "li", "7"),
                    new Workload(0, "vcpu-list"),
                    new Workload(0, "vcpu-runstate"),
                    new Workload(0, "info"),
                    new Workload(0, "info", "free_memory"),
                    new Workload(0, "uptime"),
                    new Workload(0, "uptime", "-s"),
                    new Workload(0, "dmesg"),
                    new Workload(0, "domid", "guest-1"),
                    new Workload(0, "domname", "1"),
                    new Workload(0, "create", "-n", config.toString(), "memory=256"),
                    new Workload(0, "help"),
                    new Workload(0, "list", "-h"),
                    new Workload(2, "destroy"));
            Process server = startServer(socket, dir.resolve("server.log"));
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    for (Workload workload : workloads) {
                        int exit = run(socket, workload.args());
                        if (exit != workload.expectedExit()) {
                            System.err.println("xl training: `xl " + String.join(" ", workload.args())
                                    + "' exited " + exit + ", expected " + workload.expectedExit());
                            failures++;
                        }
                    }
                }
            } finally {
                server.destroy();
                waitFor(server);
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /** netty's epoll library for this JVM's platform, as netty names it (the jar's resource). */
    static final String NATIVE_LIBRARY = System.mapLibraryName("netty_transport_native_epoll_x86_64");

    /** Copies netty's epoll library out of its jar into {@code dir} (created if missing). */
    static void extractNativeLibrary(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var in = XlTraining.class.getClassLoader().getResourceAsStream("META-INF/native/" + NATIVE_LIBRARY)) {
            if (in == null) {
                throw new IOException("META-INF/native/" + NATIVE_LIBRARY + " is not on the class path");
            }
            Files.copy(in, dir.resolve(NATIVE_LIBRARY), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** How long the canned host's JVM has to start serving. */
    static final long SERVER_START_TIMEOUT_NANOS = 60_000_000_000L;

    /** {@link CannedHostServer} in its own JVM (this java, this class path), serving once its socket exists. */
    private static Process startServer(Path socket, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CannedHostServer.class.getName(), socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + SERVER_START_TIMEOUT_NANOS;
        while (!Files.exists(socket)) {
            if (!server.isAlive() || System.nanoTime() - deadline > 0) {
                server.destroyForcibly();
                throw new IOException("the canned host did not start serving on " + socket + ":\n"
                        + Files.readString(log));
            }
            LockSupport.parkNanos(20_000_000L);
        }
        return server;
    }

    private static void waitFor(Process process) {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int run(Path socket, String[] args) {
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        try (XlEnvironment env = new XlEnvironment(discard, discard, OutputStream.nullOutputStream(),
                new ByteArrayInputStream(new byte[0]), new UnixSocketConnector(socket), Clock.systemDefaultZone(),
                Terminal.none("the training run has no terminal"))) {
            return XlCommandLine.run(env, args);
        }
    }
}
