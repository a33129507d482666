package org.hvsim.tools.hvsim.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a benchmark guest's per-round figures from the console log xenconsoled keeps for it, as the
 * guest prints them: each match of a pattern whose group 1 is the round number and group 2 the figure.
 * Threads: one.
 */
final class ConsoleRounds {
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Path log;
    private final Pattern line;
    private int lastRound;

    ConsoleRounds(Path log, Pattern line) {
        this.log = log;
        this.line = line;
    }

    /** The figures of the next {@code n} rounds that start after this call, skipping one in progress. */
    List<Double> nextRounds(int n, long timeoutNs) throws IOException {
        return nextMatches(n, timeoutNs).stream().map(m -> Double.parseDouble(m.group(2))).toList();
    }

    /**
     * The whole lines (matches, group 1 the round) of the next {@code n} rounds that start after this call,
     * skipping one in progress.
     */
    List<MatchResult> nextMatches(int n, long timeoutNs) throws IOException {
        int from = latest(timeoutNs) + 1; // the round running now began before this call: skip it
        List<MatchResult> rounds = new ArrayList<>();
        long deadline = System.nanoTime() + timeoutNs;
        while (rounds.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the guest printed " + rounds.size() + " of " + n + " rounds after round "
                        + from + " in " + log);
            }
            rounds.clear();
            Matcher m = line.matcher(read());
            while (m.find()) {
                int round = Integer.parseInt(m.group(1));
                if (round > from && rounds.size() < n) {
                    rounds.add(m.toMatchResult());
                    lastRound = round;
                }
            }
            if (rounds.size() < n) {
                LockSupport.parkNanos(POLL_NS);
            }
        }
        return rounds;
    }

    /** Waits for the guest's first round; returns the latest round printed. */
    int latest(long timeoutNs) throws IOException {
        long deadline = System.nanoTime() + timeoutNs;
        while (true) {
            int latest = lastRound;
            Matcher m = line.matcher(read());
            while (m.find()) {
                latest = Math.max(latest, Integer.parseInt(m.group(1)));
            }
            if (latest > 0) {
                lastRound = latest;
                return latest;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no round figures in " + log + " within "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s");
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }

    private String read() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
