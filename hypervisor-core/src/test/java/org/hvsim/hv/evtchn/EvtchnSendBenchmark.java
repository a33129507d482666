package org.hvsim.hv.evtchn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.hv.abi.SharedInfo;

/**
 * Not a test: the hypervisor's EVTCHNOP_send path alone (EventChannelManager.send on an interdomain
 * port whose receiver keeps clearing its pending bit, so every send is an edge), with the event channel
 * trace off and on, in alternating rounds in one JVM; prints the median ns per send of each and the ratio.
 * What a watcher costs the sender itself, without the rest of a host competing for the CPU.
 *
 * <p>Run after {@code ./mvnw -q -pl hypervisor-core -am test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt}, from {@code hypervisor-core/}, with a JDK 25:
 * {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt)
 * org.hvsim.hv.evtchn.EvtchnSendBenchmark [sends-per-round] [rounds]}.
 */
public final class EvtchnSendBenchmark {
    private EvtchnSendBenchmark() {}

    public static void main(String[] args) {
        int sends = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        TestHost host = new TestHost();
        TestDomain a = host.domU(1);
        TestDomain b = host.domU(2);
        int unbound = host.evtchn.allocUnbound(b, a.domid());
        int port = host.evtchn.bindInterdomain(a, b.domid(), unbound);
        AtomicLong batches = new AtomicLong();
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        for (int r = -4; r < rounds; r++) {
            boolean traced = (r & 1) == 1;
            if (traced) {
                host.evtchn.trace().start(batch -> batches.incrementAndGet());
            }
            double ns = round(host, a, b, port, unbound, sends);
            host.evtchn.trace().stop();
            if (r >= 0) {
                (traced ? on : off).add(ns);
            }
        }
        double offMedian = median(off);
        double onMedian = median(on);
        System.out.printf("EVTCHNOP_send in the hypervisor, median of %d rounds of %d: trace off %.1f ns, "
                + "trace on %.1f ns (%+.1f%%); %d batches collected%n", off.size(), sends, offMedian, onMedian,
                100 * (onMedian / offMedian - 1), batches.get());
    }

    /** ns per send; the receiver clears its pending bit after each, as a guest's upcall handler would. */
    private static double round(TestHost host, TestDomain a, TestDomain b, int port, int rport, int sends) {
        long word = SharedInfo.pendingWord(rport);
        long clear = ~SharedInfo.bit(rport);
        long t0 = System.nanoTime();
        for (int i = 0; i < sends; i++) {
            host.evtchn.send(a, port);
            b.sharedInfo.getAndBitwiseAndLong(word, clear);
        }
        return (System.nanoTime() - t0) / (double) sends;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
