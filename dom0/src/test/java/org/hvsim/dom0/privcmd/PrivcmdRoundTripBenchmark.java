package org.hvsim.dom0.privcmd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hvsim.hv.privcmd.Dom0SessionListener;
import org.hvsim.hv.privcmd.PrivcmdServer;
import org.hvsim.hv.privcmd.PrivcmdServerConfig;
import org.hvsim.hv.privcmd.PrivcmdToken;
import org.hvsim.proto.privcmd.Welcome;

/**
 * Not a test: measures the round trip of a null hypercall over the privcmd channel, server and
 * client in one JVM, for one caller and for four concurrent callers, and prints p50/p99.
 *
 * <p>Run after {@code ./mvnw -q -pl dom0 -am test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt}, from {@code dom0/}, with a JDK 25:
 * {@code java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
 * -cp target/test-classes:target/classes:$(cat target/cp.txt)
 * org.hvsim.dom0.privcmd.PrivcmdRoundTripBenchmark [calls]}.
 */
public final class PrivcmdRoundTripBenchmark {
    private PrivcmdRoundTripBenchmark() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Files.createTempDirectory("privcmd-bench");
        Path socket = dir.resolve("privcmd.sock");
        PrivcmdToken token = PrivcmdToken.generate();
        Welcome welcome = Welcome.newBuilder().setNrVcpus(4).setMachineMemoryPath("/dev/null").build();
        try (PrivcmdServer server = PrivcmdServer.start(PrivcmdServerConfig.of(socket, token, () -> welcome),
                        (vcpu, op, a) -> 0, Dom0SessionListener.NONE);
                PrivcmdClient client = PrivcmdClient.connect(socket, token.secret())) {
            run(client, 1, calls / 4); // warm-up
            run(client, 4, calls / 4);
            print("1 caller  ", run(client, 1, calls));
            print("4 callers ", run(client, 4, calls));
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    /** Round-trip times (ns) of {@code calls} null hypercalls made by {@code callers} threads. */
    private static Result run(PrivcmdClient client, int callers, int calls) throws Exception {
        int perCaller = calls / callers;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            long start = System.nanoTime();
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int vcpu = c;
                futures.add(pool.submit(() -> {
                    long[] rtt = new long[perCaller];
                    for (int i = 0; i < perCaller; i++) {
                        long t0 = System.nanoTime();
                        client.hypercall(vcpu, 17, 0);
                        rtt[i] = System.nanoTime() - t0;
                    }
                    return rtt;
                }));
            }
            long[] all = new long[perCaller * callers];
            int at = 0;
            for (Future<long[]> future : futures) {
                long[] rtt = future.get();
                System.arraycopy(rtt, 0, all, at, rtt.length);
                at += rtt.length;
            }
            long elapsed = System.nanoTime() - start;
            Arrays.sort(all);
            return new Result(all, elapsed);
        } finally {
            pool.shutdownNow();
        }
    }

    private record Result(long[] sortedNs, long elapsedNs) {
        long percentile(int p) {
            return sortedNs[(int) Math.min(sortedNs.length - 1, (long) sortedNs.length * p / 100)];
        }
    }

    private static void print(String label, Result result) {
        System.out.printf("%s %7d calls  p50 %6.1f us  p99 %6.1f us  max %7.1f us  %8.0f calls/s%n", label,
                result.sortedNs().length, result.percentile(50) / 1e3, result.percentile(99) / 1e3,
                result.sortedNs()[result.sortedNs().length - 1] / 1e3,
                result.sortedNs().length * 1e9 / result.elapsedNs());
    }
}
