package org.hvsim.tools.xl.console;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real terminal, driven with {@code stty} on xl's own stdin: {@code stty -g} tells whether stdin is a
 * terminal and saves its settings, {@code stty raw -echo} enters raw mode, {@code stty <saved>} restores
 * it, on close and from a shutdown hook (so a SIGTERM or SIGINT to xl also restores it; in raw mode Ctrl-C
 * is a byte for the guest, not a signal).
 *
 * <p>Threads: the main thread; the shutdown hook may restore concurrently, once.
 */
public final class SttyTerminal implements Terminal {
    @Override
    public boolean stdinIsTerminal() {
        try {
            return saveSettings() != null;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public RawMode enterRawMode() throws IOException {
        String saved = saveSettings();
        if (saved == null) {
            throw new IOException("stdin is not a terminal");
        }
        AtomicBoolean restored = new AtomicBoolean();
        Runnable restore = () -> {
            if (restored.compareAndSet(false, true)) {
                try {
                    stty(List.of(saved));
                } catch (IOException e) {
                    System.err.println("xl: could not restore the terminal: " + e.getMessage()
                            + " (run `stty sane`)");
                }
            }
        };
        Thread hook = new Thread(restore, "xl-terminal-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!stty(List.of("raw", "-echo"))) {
            restore.run();
            removeHook(hook);
            throw new IOException("stty raw -echo failed");
        }
        return () -> {
            restore.run();
            removeHook(hook);
        };
    }

    /** {@code stty -g}'s output, or null if stdin is not a terminal. */
    private static String saveSettings() throws IOException {
        Process p = new ProcessBuilder("stty", "-g")
                .redirectInput(Redirect.INHERIT)
                .redirectError(Redirect.DISCARD)
                .start();
        byte[] output = p.getInputStream().readAllBytes();
        if (waitFor(p) != 0) {
            return null;
        }
        String settings = new String(output, StandardCharsets.US_ASCII).strip();
        return settings.isEmpty() ? null : settings;
    }

    private static boolean stty(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("stty");
        command.addAll(arguments);
        Process p = new ProcessBuilder(command)
                .redirectInput(Redirect.INHERIT)
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.INHERIT)
                .start();
        return waitFor(p) == 0;
    }

    private static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new IOException("interrupted while running stty", e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs (and finds the terminal restored already)
        }
    }
}
