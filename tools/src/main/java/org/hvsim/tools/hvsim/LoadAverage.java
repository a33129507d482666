package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load averages (1, 5, 15 min) from {@code /proc/loadavg}, for a benchmark's heading. */
final class LoadAverage {
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private LoadAverage() {
    }

    /** {@code "1.02 0.80 0.75"}, or {@code "unknown"} where there is no {@code /proc/loadavg}. */
    static String read() {
        try {
            String[] f = Files.readString(LOADAVG).trim().split("\\s+");
            return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
