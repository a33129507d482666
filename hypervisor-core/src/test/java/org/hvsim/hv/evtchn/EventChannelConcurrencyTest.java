package org.hvsim.hv.evtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.hvsim.hv.abi.Errno;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Threads sending on interdomain channels while others bind and close ports between the same
 * domains, and receivers run the guest upcall handler: nothing throws, the tables stay consistent,
 * and the last event sent on every channel that stays connected is seen (no edge is lost).
 */
class EventChannelConcurrencyTest {
    private static final int DOMAINS = 4;
    private static final int CHANNELS = 8;
    private static final int SENDERS = 3;
    private static final int SENDS_PER_SENDER = 20_000;
    private static final int CHURNERS = 2;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** A channel from {@code from:fromPort} to {@code to:toPort}. */
    record Channel(TestDomain from, int fromPort, TestDomain to, int toPort) {}

    @Test
    void sendsOnConnectedChannelsAreNeverLostWhileOthersBindAndClose() throws Exception {
        TestHost host = new TestHost();
        TestDomain[] doms = new TestDomain[DOMAINS];
        for (int i = 0; i < DOMAINS; i++) {
            doms[i] = host.domU(i + 1);
        }
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            TestDomain from = doms[i % DOMAINS];
            TestDomain to = doms[(i + 1) % DOMAINS];
            int toPort = host.evtchn.allocUnbound(to, from.domid);
            int fromPort = host.evtchn.bindInterdomain(from, to.domid, toPort);
            channels.add(new Channel(from, fromPort, to, toPort));
        }
        AtomicLongArray produced = new AtomicLongArray(CHANNELS);
        AtomicLongArray seen = new AtomicLongArray(CHANNELS);
        AtomicBoolean sendersDone = new AtomicBoolean();
        long deadline = System.nanoTime() + DEADLINE_NANOS;

        List<Future<?>> receivers = new ArrayList<>();
        for (TestDomain d : doms) {
            receivers.add(pool.submit(() -> receive(d, channels, produced, seen, sendersDone, deadline)));
        }
        List<Future<?>> churners = new ArrayList<>();
        AtomicBoolean stopChurn = new AtomicBoolean();
        for (int c = 0; c < CHURNERS; c++) {
            long seed = c;
            churners.add(pool.submit(() -> churn(host, doms, new SplittableRandom(seed), stopChurn, deadline)));
        }
        List<Future<?>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            long seed = 100 + s;
            senders.add(pool.submit(() -> send(host, channels, produced, new SplittableRandom(seed))));
        }
        for (Future<?> f : senders) {
            f.get(60, TimeUnit.SECONDS);
        }
        sendersDone.set(true);
        stopChurn.set(true);
        for (Future<?> f : churners) {
            f.get(60, TimeUnit.SECONDS);
        }
        for (Future<?> f : receivers) {
            f.get(60, TimeUnit.SECONDS);
        }

        for (int i = 0; i < CHANNELS; i++) {
            assertEquals(produced.get(i), seen.get(i), "channel " + i + ": the last send was not seen");
        }
        assertEquals((long) SENDERS * SENDS_PER_SENDER, sum(produced));
        for (TestDomain d : doms) {
            assertConsistent(host, d);
        }
        for (Channel ch : channels) {
            PortStatus s = host.evtchn.status(ch.from(), ch.fromPort()).orElseThrow();
            assertEquals(ChannelState.INTERDOMAIN, s.state());
            assertEquals(ch.toPort(), s.remotePort());
        }
    }

    /** Each sender bumps a channel's counter, then sends on it through the hypercall. */
    private static void send(TestHost host, List<Channel> channels, AtomicLongArray produced, SplittableRandom random) {
        SegmentGuestMemory args = TestHost.argPage();
        for (int n = 0; n < SENDS_PER_SENDER; n++) {
            int i = random.nextInt(CHANNELS);
            Channel ch = channels.get(i);
            produced.incrementAndGet(i);
            new EvtchnSend(ch.fromPort()).write(args, 0);
            assertEquals(0, host.ops.op(ch.from(), EvtchnOp.SEND, args, 0));
        }
    }

    /**
     * A guest's vCPU 0: whenever upcall_pending is set, run the upcall handler; for a channel's port,
     * record the counter as read after the handler cleared its pending bit. Once the senders are done,
     * drain until no upcall is pending.
     */
    private static void receive(TestDomain d, List<Channel> channels, AtomicLongArray produced, AtomicLongArray seen,
                                AtomicBoolean sendersDone, long deadline) {
        TwoLevelEventScan guest = TestHost.guestView(d);
        while (true) {
            boolean done = sendersDone.get();
            if (guest.isUpcallPending(0)) {
                guest.scan(0, port -> {
                    for (int i = 0; i < CHANNELS; i++) {
                        Channel ch = channels.get(i);
                        if (ch.to() == d && ch.toPort() == port) {
                            seen.set(i, produced.get(i));
                        }
                    }
                });
            } else if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("receiver of " + d + " timed out");
            }
            Thread.yield();
        }
    }

    /** Binds and closes ports between the same domains, and sends on them, until told to stop. */
    private static void churn(TestHost host, TestDomain[] doms, SplittableRandom random, AtomicBoolean stop, long deadline) {
        EventChannelManager evtchn = host.evtchn;
        while (!stop.get() && System.nanoTime() < deadline) {
            TestDomain x = doms[random.nextInt(DOMAINS)];
            TestDomain y = doms[random.nextInt(DOMAINS)];
            int xp = evtchn.allocUnbound(x, y.domid);
            assertTrue(xp > 0, "alloc_unbound failed: " + xp);
            int yp = evtchn.bindInterdomain(y, x.domid, xp);
            assertTrue(yp > 0, "bind_interdomain failed: " + yp);
            assertEquals(0, evtchn.send(x, xp));
            assertEquals(0, evtchn.send(y, yp));
            assertEquals(0, evtchn.bindVcpu(y, yp, random.nextInt(4)));
            if (random.nextBoolean()) {
                assertEquals(0, evtchn.close(x, xp));
                assertEquals(0, evtchn.send(y, yp), "the reverted end drops sends");
                assertEquals(0, evtchn.close(y, yp));
            } else {
                assertEquals(0, evtchn.close(y, yp));
                assertEquals(0, evtchn.close(x, xp));
            }
            int ipi = evtchn.bindIpi(x, random.nextInt(4));
            int timer = evtchn.bindVirq(y, Virq.DEBUG, random.nextInt(4));
            evtchn.send(x, ipi);
            if (timer > 0) {
                assertEquals(0, evtchn.close(y, timer));
            }
            assertEquals(0, evtchn.close(x, ipi));
        }
    }

    @Test
    void destroyingADomainWhileItsPeersSendRevertsEveryChannel() throws Exception {
        TestHost host = new TestHost();
        TestDomain peer = host.domU(1);
        TestDomain victim = host.domU(2);
        int[] peerPorts = new int[16];
        for (int i = 0; i < peerPorts.length; i++) {
            int victimPort = host.evtchn.allocUnbound(victim, peer.domid);
            peerPorts[i] = host.evtchn.bindInterdomain(peer, victim.domid, victimPort);
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> senders = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            senders.add(pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    assertEquals(0, host.evtchn.send(peer, peerPorts[n++ % peerPorts.length]));
                }
            }));
        }
        Future<?> binder = pool.submit(() -> {
            while (!stop.get()) {
                int p = host.evtchn.allocUnbound(victim, peer.domid);
                if (p > 0) {
                    int q = host.evtchn.bindInterdomain(peer, victim.domid, p);
                    if (q > 0) {
                        assertEquals(0, host.evtchn.close(peer, q));
                    }
                    host.evtchn.close(victim, p);
                } else {
                    assertEquals(-Errno.EINVAL, p, "only a dying domain refuses");
                }
            }
        });
        victim.dying = true;
        host.evtchn.destroy(victim);
        stop.set(true);
        for (Future<?> f : senders) {
            f.get(60, TimeUnit.SECONDS);
        }
        binder.get(60, TimeUnit.SECONDS);

        assertEquals(0, victim.table.activeChannels());
        for (int port : peerPorts) {
            PortStatus s = host.evtchn.status(peer, port).orElseThrow();
            assertEquals(ChannelState.UNBOUND, s.state());
            assertEquals(victim.domid, s.remoteDomid());
        }
        assertConsistent(host, peer);
    }

    private static void assertConsistent(TestHost host, TestDomain d) {
        List<PortStatus> ports = host.evtchn.list(d);
        assertEquals(ports.size(), d.table.activeChannels(), d + ": active count");
        for (PortStatus s : ports) {
            assertTrue(s.port() <= d.table.maxPort());
            if (s.state() == ChannelState.INTERDOMAIN) {
                TestDomain remote = (TestDomain) host.find(s.remoteDomid());
                PortStatus peer = host.evtchn.status(remote, s.remotePort()).orElseThrow();
                assertEquals(ChannelState.INTERDOMAIN, peer.state(), d + ":" + s.port() + " peer");
                assertEquals(d.domid, peer.remoteDomid());
                assertEquals(s.port(), peer.remotePort());
            }
        }
    }

    private static long sum(AtomicLongArray a) {
        long total = 0;
        for (int i = 0; i < a.length(); i++) {
            total += a.get(i);
        }
        return total;
    }
}
