package org.hvsim.dom0.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.hvsim.dom0.xenstore.conn.XsSocketClient;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many socket clients run conflicting read-increment-write transactions at once. A serializable history
 * loses no increment and duplicates none: each counter ends at the number of commits that incremented
 * it, and every value from 1 to that number was committed exactly once.
 */
class ConcurrentTransactionsTest {
    static final int CLIENTS = 16;
    static final int ATTEMPTS = 60;
    static final int COUNTERS = 3;

    @TempDir
    Path dir;

    @Test
    void committedIncrementsFormASerializableHistory() throws Exception {
        try (Xenstored xs = Xenstored.builder().build()) {
            Path socket = dir.resolve("socket");
            xs.start(socket);
            try (XenstoreClient c = xs.client()) {
                for (int i = 0; i < COUNTERS; i++) {
                    c.write("/counter/" + i, "0");
                }
            }
            AtomicIntegerArray commits = new AtomicIntegerArray(COUNTERS);
            AtomicInteger conflicts = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int id = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    try (XsSocketClient cl = XsSocketClient.connect(socket)) {
                        for (int a = 0; a < ATTEMPTS; a++) {
                            int k = ThreadLocalRandom.current().nextInt(COUNTERS);
                            if (increment(cl, k, id)) {
                                commits.incrementAndGet(k);
                            } else {
                                conflicts.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), failures);
            try (XenstoreClient c = xs.client()) {
                int total = 0;
                for (int k = 0; k < COUNTERS; k++) {
                    int value = Integer.parseInt(c.readString("/counter/" + k));
                    assertEquals(commits.get(k), value, "counter " + k);
                    Set<Integer> logged = new TreeSet<>();
                    for (String v : c.directory("/log/" + k)) {
                        logged.add(Integer.parseInt(v));
                    }
                    Set<Integer> expected = new TreeSet<>();
                    for (int v = 1; v <= value; v++) {
                        expected.add(v);
                    }
                    assertEquals(expected, logged, "each value of counter " + k + " committed once");
                    total += value;
                }
                assertEquals(CLIENTS * ATTEMPTS, total + conflicts.get());
                assertTrue(conflicts.get() > 0, "the clients did conflict");
            }
        }
    }

    /** One transaction: read counter k, write k+1 and a log entry; true if it committed. */
    private static boolean increment(XsSocketClient c, int k, int client) throws Exception {
        XsMessage start = c.call(XsdSockmsgType.XS_TRANSACTION_START, 0, "");
        int tx = Integer.parseInt(XsSocketClient.text(start));
        int v = Integer.parseInt(XsSocketClient.text(c.call(XsdSockmsgType.XS_READ, tx, "/counter/" + k)));
        c.write(tx, "/counter/" + k, Integer.toString(v + 1));
        c.write(tx, "/log/" + k + "/" + (v + 1), Integer.toString(client));
        XsMessage end = c.call(XsdSockmsgType.XS_TRANSACTION_END, tx, "T");
        if (end.type() == XsdSockmsgType.XS_ERROR.number()) {
            assertEquals("EAGAIN", XsSocketClient.text(end));
            return false;
        }
        return true;
    }
}
