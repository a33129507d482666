package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code hvsim bench-blk} end to end, briefly: it starts its own host, runs each comparison's guest and native
 * baseline side by side, prints a row per round and a ratio against the target for each, stops the host
 * and removes its image. (The figures themselves are the README's, from full runs; here only their shape.)
 */
class BenchBlkIT {
    private static final Pattern STARTED = Pattern.compile("HVSIM_HOME=(\\S+)");
    private static final Pattern ROUND = Pattern.compile(
            "^  1 +([\\d,]+) +[\\d,]+\\.\\d +[\\d,]+\\.\\d +([\\d,]+) +(\\d+\\.\\d{3})$", Pattern.MULTILINE);
    private static final Pattern RATIO = Pattern.compile(
            "^  ratio, median of 1 round: (\\d+\\.\\d{3}) \\(target >= (0\\.5|0\\.9)\\): (met|NOT met)$", Pattern.MULTILINE);

    @Test
    void eachComparisonIsPrintedSideBySideWithItsTarget() throws Exception {
        try (Host host = Host.create()) {
            Path dir = Files.createDirectories(host.home().resolve("images"));
            Run r = host.hvsim("bench-blk", "--seconds", "1", "--warmup", "0", "--rounds", "1", "--image-size", "64M",
                    "--dir", dir.toString(), "--memory", "1G");
            String benchHome = null;
            Matcher started = STARTED.matcher(r.out() + r.err());
            if (started.find()) {
                benchHome = started.group(1);
            }
            try {
                r.expectOk();
                assertTrue(r.out().contains("image " + dir.toRealPath()) || r.out().contains("image " + dir), r.out());
                for (String title : List.of("(1) null disk", "(2) 4 KiB random reads", "(3a) 1 MiB sequential reads",
                        "(3b) 1 MiB sequential writes")) {
                    assertTrue(r.out().contains("\n" + title), "a section " + title + ":\n" + r.out());
                }
                Matcher rows = ROUND.matcher(r.out());
                int n = 0;
                while (rows.find()) {
                    n++;
                    double hvsim = Double.parseDouble(rows.group(1).replace(",", ""));
                    double baseline = Double.parseDouble(rows.group(2).replace(",", ""));
                    assertTrue(hvsim > 0 && baseline > 0, rows.group());
                    assertEquals(hvsim / baseline, Double.parseDouble(rows.group(3)), 0.0015 + hvsim / baseline * 0.01,
                            "the ratio is the row's figures' " + rows.group());
                }
                assertEquals(4, n, r.out());
                Matcher ratios = RATIO.matcher(r.out());
                int m = 0;
                while (ratios.find()) {
                    m++;
                    boolean met = Double.parseDouble(ratios.group(1)) >= Double.parseDouble(ratios.group(2));
                    assertEquals(met ? "met" : "NOT met", ratios.group(3), ratios.group());
                }
                assertEquals(4, m, r.out());
                assertTrue((r.out() + r.err()).contains("host stopped"), r.out() + r.err());
                try (Stream<Path> left = Files.list(dir)) {
                    assertEquals(List.of(), left.toList(), "the image and the ring's file are removed");
                }
            } finally {
                if (benchHome != null) {
                    String home = benchHome;
                    ProcessHandle.allProcesses()
                            .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(home)).orElse(false))
                            .forEach(ProcessHandle::destroyForcibly);
                }
            }
        }
    }
}
