package org.hvsim.tools.hvsim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.hvsim.domu.blkbench.BlkBenchJob;
import org.hvsim.domu.blkbench.BlkBenchResult;
import org.hvsim.domu.blkbench.LatencyHistogram;
import org.hvsim.domu.blkbench.Rw;
import org.junit.jupiter.api.Test;

/** bench-blk reads the JSON the guest's blkbench publishes (the guest's own code makes it here). */
class GuestBlkResultTest {
    @Test
    void readsWhatBlkbenchPublishes() throws IOException {
        LatencyHistogram latency = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            latency.record(100_000 + i * 1_000L);
        }
        BlkBenchResult published = new BlkBenchResult(new BlkBenchJob(Rw.RANDRW, 4096, 32, 0, 0, "xvda", false, 0, 50, 1),
                "xvda", 2_000_000_000L, 600, 400, 0, 600 * 4096L, 400 * 4096L, latency, 0, 0, 0, List.of());

        GuestBlkResult r = GuestBlkResult.parse(published.json());

        assertEquals(1000, r.ios());
        assertEquals(500.0, r.iops(), 1e-9);
        assertEquals(1000 * 4096 / 2e6, r.megabytesPerSecond(), 1e-9);
        assertEquals(latency.percentile(0.50), r.p50Ns());
        assertEquals(latency.percentile(0.99), r.p99Ns());
        assertTrue(r.p50Ns() < r.p99Ns());
        assertEquals(0, r.ioErrors());
    }

    @Test
    void anObjectWithoutTheFiguresIsRefused() {
        IOException e = assertThrows(IOException.class, () -> GuestBlkResult.parse("{\"app\":\"hcbench\",\"calls\":5}"));
        assertTrue(e.getMessage().contains("lacks"), e.getMessage());
        assertThrows(IOException.class, () -> GuestBlkResult.parse("[1,2]"));
        assertThrows(IOException.class, () -> GuestBlkResult.parse("{\"ios\":"));
    }

    /** The JSON comes from a guest: anything parses to a result or is an IOException, nothing else. */
    @Property(tries = 2000)
    void anyTextParsesOrIsRefused(@ForAll String text) {
        try {
            GuestBlkResult r = GuestBlkResult.parse(text);
            assertTrue(r.elapsedNs() > 0 && r.ios() >= 0);
        } catch (IOException expected) {
            // refused with a message
        }
    }

    @Property(tries = 500)
    void mutatedResultsParseOrAreRefused(@ForAll @IntRange(max = 10_000) int cut, @ForAll char c) throws IOException {
        String good = "{\"app\":\"blkbench\",\"ios\":10,\"elapsed_ns\":5,\"read_bytes\":40960,\"write_bytes\":0,"
                + "\"lat_ns\":{\"p50\":1,\"p99\":2,\"p99_9\":3,\"max\":4,\"mean\":2},\"errors\":{\"io\":0,\"verify\":0}}";
        int at = Math.floorMod(cut, good.length());
        String bad = good.substring(0, at) + c + good.substring(at + 1);
        try {
            GuestBlkResult r = GuestBlkResult.parse(bad);
            assertTrue(r.elapsedNs() > 0 && r.ios() >= 0);
        } catch (IOException expected) {
            // refused with a message
        }
    }
}
