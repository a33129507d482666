package org.hvsim.domu.blkbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cmdline.CommandLineException;

/** blkbench's parts on their own: job parameters (guest command lines), latency percentiles, verify data. */
class BlkBenchPartsPropertyTest {
    @Example
    void theIssuesExampleCommandLine() {
        BlkBenchJob j = BlkBenchJob.from(CommandLine.parse(
                "app=blkbench rw=randread bs=4k iodepth=32 size=256M runtime=10 dev=xvda"));
        assertEquals(new BlkBenchJob(Rw.RANDREAD, 4096, 32, 256L << 20, 10_000_000_000L, "xvda", false, 0, 50, 0x5eed), j);
        BlkBenchJob v = BlkBenchJob.from(CommandLine.parse("app=blkbench rw=randrw rwmixread=70 verify=crc32c fsync=8"));
        assertTrue(v.verify());
        assertEquals(8, v.fsyncEvery());
        assertEquals(70, v.readPercent());
    }

    @Provide
    Arbitrary<Map<String, String>> params() {
        Arbitrary<String> keys = Arbitraries.of(BlkBenchJob.RW, BlkBenchJob.BS, BlkBenchJob.IODEPTH, BlkBenchJob.SIZE,
                BlkBenchJob.RUNTIME, BlkBenchJob.VERIFY, BlkBenchJob.FSYNC, BlkBenchJob.RWMIXREAD, BlkBenchJob.SEED);
        Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("read", "write", "randread", "randwrite", "randrw", "trim", "crc32c", "none")),
                Tuple.of(3, Arbitraries.longs().between(-5, 1L << 41).map(n -> Long.toString(n))),
                Tuple.of(3, Arbitraries.integers().between(0, 5000).flatMap(n -> Arbitraries.of("k", "K", "m", "g", "t", "x")
                        .map(s -> n + s))),
                Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMaxLength(12)));
        return Arbitraries.maps(keys, values).ofMaxSize(6);
    }

    @Property(tries = 1000)
    void anyParametersGiveAJobWithinItsBoundsOrAnErrorNamingAKey(@ForAll("params") Map<String, String> params) {
        BlkBenchJob j;
        try {
            j = BlkBenchJob.from(new CommandLine("blkbench", params));
        } catch (CommandLineException e) {
            assertTrue(params.keySet().stream().anyMatch(k -> e.getMessage().startsWith(k + "=")), e.getMessage());
            return;
        }
        assertTrue(j.blockSize() >= 512 && j.blockSize() <= BlkBenchJob.MAX_BLOCK && j.blockSize() % 512 == 0, j.toString());
        assertTrue(j.ioDepth() >= 1 && j.ioDepth() <= BlkBenchJob.MAX_IODEPTH, j.toString());
        assertTrue(j.sizeBytes() >= 0 && j.sizeBytes() % 512 == 0, j.toString());
        assertTrue(j.runtimeNs() >= 0 && j.readPercent() >= 0 && j.readPercent() <= 100 && j.fsyncEvery() >= 0);
    }

    @Property(tries = 200)
    void percentilesAreWithinThreePercentOfTheExactOnes(
            @ForAll @Size(min = 1, max = 2000) List<@LongRange(min = 0, max = 10_000_000_000L) Long> samples,
            @ForAll @IntRange(min = 1, max = 1000) int permille) {
        LatencyHistogram h = new LatencyHistogram();
        samples.forEach(h::record);
        long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        double fraction = permille / 1000.0;
        long exact = sorted[(int) Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
        long got = h.percentile(fraction);
        assertTrue(got >= exact && got <= exact + Math.max(1, exact * 0.0323), "p" + fraction + ": " + got + " vs " + exact);
        assertEquals(sorted[sorted.length - 1], h.max());
        assertEquals(sorted.length, h.count());
    }

    @Property(tries = 200)
    void writtenDataChecksOutAndAnyFlippedBitDoesNot(@ForAll @IntRange(min = 1, max = 16) int sectors,
            @ForAll @LongRange(min = 0, max = 1L << 40) long firstSector, @ForAll @LongRange(min = 1) long generation,
            @ForAll @IntRange(min = 0, max = 16 * 512 * 8 - 1) int bit) {
        byte[] data = new byte[sectors * 512];
        VerifyPattern.fill(data, data.length, firstSector, generation);
        long[] gens = new long[sectors];
        Arrays.fill(gens, generation);
        assertNull(VerifyPattern.check(data, data.length, firstSector, gens));
        assertNotNull(VerifyPattern.check(data, data.length, firstSector + 1, null), "misplaced");
        int b = bit % (data.length * 8);
        data[b / 8] ^= (byte) (1 << (b % 8));
        assertNotNull(VerifyPattern.check(data, data.length, firstSector, null), "bit " + b + " flipped");
    }
}
