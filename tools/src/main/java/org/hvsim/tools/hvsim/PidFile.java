package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code $HVSIM_HOME/hypervisor.pid}: the hypervisor's process id as one decimal number and a newline. The
 * file names a host only while that process lives and started before the file was written: a file left by
 * a host that died names either no process or, once the pid is reused, one that started later.
 */
public final class PidFile {
    /** The hypervisor's main class. */
    public static final String HYPERVISOR_MAIN = "org.hvsim.hv.boot.HypervisorMain";
    /**
     * How much later than the file's time a process may seem to have started and still be the one it
     * names: Linux gives start times in clock ticks from a boot time in whole seconds.
     */
    static final Duration START_TIME_SLACK = Duration.ofSeconds(2);
    private static final int MAX_BYTES = 64;

    private PidFile() {
    }

    /** The pid in {@code file}, or empty if there is no file or it does not hold a pid. */
    public static OptionalLong read(Path file) throws IOException {
        byte[] bytes;
        try (var in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        try {
            long pid = Long.parseLong(text);
            return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Writes {@code pid} to {@code file}, atomically (a reader sees the old file or the new one). */
    public static void write(Path file, long pid) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The live process the pid file names, if it still is the one that was recorded there. */
    public static Optional<ProcessHandle> liveHypervisor(Path file) throws IOException {
        OptionalLong pid = read(file);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Instant written;
        try {
            written = Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return liveProcess(pid.getAsLong(), written);
    }

    /** The live process {@code pid}, if it started no later than {@code recorded} (allowing for the slack). */
    static Optional<ProcessHandle> liveProcess(long pid, Instant recorded) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.info().startInstant()
                .map(started -> !started.isAfter(recorded.plus(START_TIME_SLACK))).orElse(true));
    }
}
