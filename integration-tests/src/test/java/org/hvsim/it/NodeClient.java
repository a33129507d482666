package org.hvsim.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Node.js gRPC client of {@code src/test/node}, ready to run: its files copied to
 * {@code target/node-client}, and its npm packages installed there with {@code npm ci} (exact versions
 * from the committed package-lock.json) when they are missing or the lock file changed since. Needs
 * {@code node} and {@code npm} on PATH (.ci/run installs them).
 *
 * <p>Threads: the test's thread; one pool thread per output stream of a command it runs drains it.
 */
final class NodeClient {
    static final Path SOURCE = Host.ROOT.resolve("integration-tests/src/test/node");
    static final Path DIR = Host.ROOT.resolve("integration-tests/target/node-client");
    static final String SCRIPT = "evtchn-client.js";
    static final String LOCK = "package-lock.json";
    /** Written into node_modules after a successful npm ci: the lock file it installed. */
    static final String INSTALLED_LOCK = "node_modules/.hvsim-installed-lock.json";
    static final long NPM_CI_TIMEOUT_MS = 5 * 60_000;

    private NodeClient() {}

    /** Copies the client to {@link #DIR} and installs its packages unless the installed ones match the lock. */
    static Path prepare() throws IOException, InterruptedException {
        Files.createDirectories(DIR);
        try (Stream<Path> files = Files.list(SOURCE)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, DIR.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path installed = DIR.resolve(INSTALLED_LOCK);
        if (!Files.exists(installed) || Files.mismatch(installed, DIR.resolve(LOCK)) != -1) {
            run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(),
                    NPM_CI_TIMEOUT_MS).expectOk();
            Files.copy(DIR.resolve(LOCK), installed, StandardCopyOption.REPLACE_EXISTING);
        }
        return DIR;
    }

    /** {@code node evtchn-client.js args...} in {@link #DIR} with {@code env} added, within {@code timeoutMs}. */
    static Run client(Map<String, String> env, long timeoutMs, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", SCRIPT));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, env, timeoutMs);
    }

    /**
     * Runs {@code cmd} in {@link #DIR}; after {@code timeoutMs} it and its descendants are killed and an
     * AssertionError shows what it printed.
     */
    private static Run run(List<String> cmd, Map<String, String> env, long timeoutMs)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(DIR.toFile());
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd.getFirst() + " (" + e.getMessage()
                    + "): this test needs node and npm on PATH (Debian: apt-get install nodejs npm)", e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new AssertionError(cmd + " did not finish within " + timeoutMs + " ms\nstdout:\n"
                        + out.join() + "\nstderr:\n" + err.join());
            }
            return new Run(p.exitValue(), out.join(), err.join());
        } finally {
            kill(p);
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
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
}
