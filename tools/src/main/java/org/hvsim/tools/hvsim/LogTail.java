package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a log file, read from its end (the file may be large), for a failed start. */
final class LogTail {
    static final int LINES = 20;
    private static final int MAX_BYTES = 16 * 1024;

    private LogTail() {
    }

    /** At most {@code lines} last lines of {@code file} (from its last {@value #MAX_BYTES} bytes). */
    static List<String> lastLines(Path file, int lines) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            int n = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[n];
            f.seek(length - n);
            f.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return all.subList(Math.max(0, all.size() - lines), all.size());
        }
    }
}
