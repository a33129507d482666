package org.hvsim.tools.hvsim.bench;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.proto.control.ListEventChannelsRequest;
import org.hvsim.proto.control.ListEventChannelsResponse;
import org.hvsim.proto.control.WatchEventChannelsRequest;
import org.hvsim.proto.control.WatchEventChannelsResponse;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.HvsimHome;

/**
 * Event channel inspection, measured on a live host in one run: (1) ListEventChannels of an idle guest
 * with 1,000 more bound ports (p50, p99 over many calls, after {@value #WARMUP_CALLS} untimed ones);
 * (2) a second guest's EVTCHNOP_send throughput without and with a watcher streaming every event of that
 * guest, alternating phases (in both orders, pair by pair) so that both see the same machine, and the
 * watcher's cost as the ratio of the medians.
 */
public final class EvtchnBench {
    static final Pattern ROUND = Pattern.compile(
            "evtchnbench: round (\\d+): \\d+ sends, (\\d+\\.\\d) ns per send");
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(2);
    /** Calls before the timed ones, so that both JVMs' JIT compilers have done their work. */
    static final int WARMUP_CALLS = 2000;

    /**
     * @param listP50Ns      ListEventChannels p50
     * @param listP99Ns      ListEventChannels p99
     * @param ports          ports the listing returned
     * @param offNsPerSend   median ns per send, no watcher
     * @param onNsPerSend    median ns per send, a watcher attached
     * @param watcherCost    what a watcher costs the send path: the median over pairs of each pair's
     *                       (on / off) - 1, adjacent phases being the fairest comparison on a noisy machine
     * @param eventsWatched  events the watcher received
     * @param eventsDropped  events the watcher was told it lost
     */
    public record Result(long listCalls, long listP50Ns, long listP99Ns, int ports, int rounds, double offNsPerSend,
                         double onNsPerSend, double watcherCost, long eventsWatched, long eventsDropped) {
    }

    private EvtchnBench() {
    }

    /**
     * Runs the benchmark with a guest named {@code name} holding {@code ports} extra ports and sending in
     * rounds of {@code sends}; {@code pairs} off/on phase pairs of {@code rounds} rounds each.
     */
    public static Result run(ControlPlane control, HvsimHome home, String name, int ports, long sends, int listCalls,
            int pairs, int rounds, PrintWriter progress) throws IOException {
        String holder = name + "-ports";
        control.domains().withDeadlineAfter(60, TimeUnit.SECONDS).createDomain(CreateDomainRequest.newBuilder()
                .setConfig(BenchDomains.evtchnBench(holder, ports, 1, 1)).build());
        new ConsoleRounds(consoleLog(home, holder), ROUND).latest(TIMEOUT_NS);

        ListEventChannelsRequest list = ListEventChannelsRequest.newBuilder().setDomain(holder).build();
        int listed = 0;
        for (int i = 0; i < WARMUP_CALLS; i++) {
            listed = control.eventChannels().withDeadlineAfter(10, TimeUnit.SECONDS).listEventChannels(list).getPortsCount();
        }
        long[] samples = new long[listCalls];
        for (int i = 0; i < listCalls; i++) {
            long t0 = System.nanoTime();
            ListEventChannelsResponse r = control.eventChannels().withDeadlineAfter(10, TimeUnit.SECONDS).listEventChannels(list);
            samples[i] = System.nanoTime() - t0;
            listed = r.getPortsCount();
        }
        Percentiles p = new Percentiles(samples);

        control.domains().withDeadlineAfter(60, TimeUnit.SECONDS).createDomain(CreateDomainRequest.newBuilder()
                .setConfig(BenchDomains.evtchnBench(name, 0, sends, 1_000_000)).build());
        ConsoleRounds console = new ConsoleRounds(consoleLog(home, name), ROUND);
        console.latest(TIMEOUT_NS);

        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        List<Double> pairRatios = new ArrayList<>();
        AtomicLong watched = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        for (int pair = 0; pair <= pairs; pair++) {
            // Pair 0 warms up both paths (the JIT compilers, the watcher's pipeline) and is not counted.
            // Pairs alternate their order (off-on, on-off, ...) so that a drift of the machine over the
            // run does not count as the watcher's cost.
            List<Double> offRounds;
            List<Double> onRounds;
            if (pair % 2 == 0) {
                offRounds = console.nextRounds(rounds, TIMEOUT_NS);
                onRounds = watched(control, name, console, rounds, watched, dropped);
            } else {
                onRounds = watched(control, name, console, rounds, watched, dropped);
                offRounds = console.nextRounds(rounds, TIMEOUT_NS);
            }
            if (pair == 0) {
                continue;
            }
            off.addAll(offRounds);
            on.addAll(onRounds);
            pairRatios.add(median(onRounds) / median(offRounds));
            progress.printf("  pair %d: no watcher %.1f ns/send, watcher %.1f ns/send%n", pair, median(offRounds),
                    median(onRounds));
            progress.flush();
        }
        return new Result(listCalls, p.percentile(50), p.percentile(99), listed, off.size(), median(off), median(on),
                median(pairRatios) - 1, watched.get(), dropped.get());
    }

    /** The figures of {@code rounds} rounds run while a watcher streams every event of {@code name}. */
    private static List<Double> watched(ControlPlane control, String name, ConsoleRounds console, int rounds,
            AtomicLong watched, AtomicLong dropped) throws IOException {
        Context.CancellableContext watch = Context.current().withCancellation();
        try {
            watch.run(() -> control.eventChannelsAsync().watchEventChannels(
                    WatchEventChannelsRequest.newBuilder().addDomains(name).build(), new StreamObserver<>() {
                        @Override
                        public void onNext(WatchEventChannelsResponse r) {
                            watched.addAndGet(r.getEventsCount());
                            dropped.addAndGet(r.getDropped());
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    }));
            long seenBefore = watched.get();
            long deadline = System.nanoTime() + TIMEOUT_NS;
            while (watched.get() == seenBefore) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the watcher received no event of " + name);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            return console.nextRounds(rounds, TIMEOUT_NS);
        } finally {
            watch.cancel(null);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Path consoleLog(HvsimHome home, String name) {
        return home.logDir().resolve("console").resolve("guest-" + name + ".log");
    }
}
