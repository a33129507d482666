package org.hvsim.dom0.xenstore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.dom0.xenstore.conn.GuestRing;
import org.hvsim.dom0.xenstore.conn.XsSocketClient;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * Requests per second through xenstored: synchronous READs from 1 and 16 clients over the Unix socket,
 * and from 1 and 16 domains over their rings (each guest thread signals xenstored through
 * {@link Xenstored#eventArrived} and sleeps until xenstored's notification wakes it, as a vCPU blocked
 * on its event channel would). Then the xenstored part of creating a domain the way libxl lays it out
 * (one transaction of its nodes and permissions, INTRODUCE, the guest's first watch) with 10 and with
 * 1,000 domains running. Not a test: run it by hand, e.g.
 * {@code java -cp <test classpath> org.hvsim.dom0.xenstore.XenstoredBenchmark [seconds]}.
 */
public final class XenstoredBenchmark {
    private XenstoredBenchmark() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        Path dir = Files.createTempDirectory("xenstored-bench");
        Path socket = dir.resolve("socket");
        try (Xenstored xs = Xenstored.builder().build()) {
            xs.start(socket);
            try (XenstoreClient c = xs.client()) {
                c.write("/bench/value", "x".repeat(64));
                c.setPerms("/bench/value", List.of(org.hvsim.dom0.xenstore.store.XsPermission.parse("r0")));
            }
            for (int clients : new int[] {1, 16}) {
                report("socket", clients, socket(socket, clients, seconds), seconds);
            }
            for (int domains : new int[] {1, 16}) {
                report("ring  ", domains, rings(xs, domains, seconds), seconds);
            }
            DomainCreation creation = new DomainCreation(xs);
            for (int running : new int[] {10, 1000}) {
                creation.runUntil(running);
                System.out.println(creation.measure(running, 200));
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void report(String transport, int clients, long requests, long seconds) {
        System.out.printf(Locale.ROOT, "%s %2d client%s: %,10d requests/s%n", transport, clients, clients == 1 ? " " : "s",
                requests / seconds);
    }

    private static long socket(Path socket, int clients, long seconds) throws Exception {
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (XsSocketClient c = XsSocketClient.connect(socket)) {
                    while (System.nanoTime() < end) {
                        c.call(XsdSockmsgType.XS_READ, 0, "/bench/value");
                        done.increment();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.sum();
    }

    private static long rings(Xenstored xs, int domains, long seconds) throws Exception {
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int d = 0; d < domains; d++) {
            int domid = 101 + d;
            SegmentGuestMemory page = SegmentGuestMemory.allocate(4096);
            GuestRing ring = new GuestRing(page);
            Thread guest = Thread.ofPlatform().unstarted(() -> {
                byte[] payload = "/bench/value\0".getBytes();
                int reqId = 0;
                while (System.nanoTime() < end) {
                    ring.send(XsMessage.of(XsdSockmsgType.XS_READ.number(), ++reqId, 0, payload));
                    xs.eventArrived(domid);
                    while (ring.receive().isEmpty()) {
                        LockSupport.parkNanos(1_000_000);
                    }
                    done.increment();
                }
            });
            xs.introduce(domid, 0, 1, page, () -> LockSupport.unpark(guest));
            threads.add(guest);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        for (int d = 0; d < domains; d++) {
            xs.release(101 + d);
        }
        return done.sum();
    }
}
