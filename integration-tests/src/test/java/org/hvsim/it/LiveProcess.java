package org.hvsim.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command a test talks to while it runs (xl console): bytes go to its standard input one write at a
 * time, so the command reads them as separate chunks, and what it prints is collected as it comes.
 * {@link #close} kills it if it is still running.
 *
 * <p>Threads: the test's thread writes and reads the collected output; one platform thread per output
 * stream copies it in. The collected bytes are guarded by their buffer's monitor.
 */
public final class LiveProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final OutputStream stdin;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outCopier;
    private final Thread errCopier;

    LiveProcess(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.stdin = process.getOutputStream();
        outCopier = collect(process.getInputStream(), out, "stdout");
        errCopier = collect(process.getErrorStream(), err, "stderr");
    }

    private Thread collect(InputStream in, ByteArrayOutputStream into, String what) {
        return Thread.ofPlatform().daemon().name("live-" + what + "-" + process.pid()).start(() -> {
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (into) {
                        into.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // The process is gone; what was read is kept.
            }
        });
    }

    /** Writes {@code bytes} to the command's standard input in one write, and flushes it. */
    public void write(byte... bytes) throws IOException {
        stdin.write(bytes);
        stdin.flush();
    }

    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** What the command has printed on standard output so far. */
    public String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** What the command has printed on standard error so far. */
    public String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits for the command's output to contain {@code text}. */
    public void awaitOut(String text, long timeoutMs) {
        Host.await(() -> out().contains(text), timeoutMs,
                () -> command + " to print \"" + text + "\"; stdout so far:\n" + out() + "\nstderr:\n" + err());
    }

    /** Waits for the command to exit and returns what it did; an AssertionError if it does not. */
    public Run awaitExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new AssertionError(command + " still running after " + timeoutMs + " ms; stdout:\n" + out()
                    + "\nstderr:\n" + err());
        }
        // The copying threads end at the end of the streams, which follows the exit (unless a child
        // process the command left behind keeps them open: then the join times out).
        outCopier.join(5_000);
        errCopier.join(5_000);
        return new Run(process.exitValue(), out(), err());
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
