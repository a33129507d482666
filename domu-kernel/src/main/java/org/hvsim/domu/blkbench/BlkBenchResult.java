package org.hvsim.domu.blkbench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a blkbench job did: requests and bytes by kind, latencies, errors; the human summary it prints
 * and its one JSON line (what {@code xl workload-result} shows).
 *
 * @param elapsedNs from the first request submitted to the last completed
 * @param errorSamples the first few errors, described
 */
public record BlkBenchResult(BlkBenchJob job, String device, long elapsedNs, long reads, long writes, long flushes,
                             long readBytes, long writeBytes, LatencyHistogram latency, long ioErrors,
                             long verifyErrors, long verifiedSectors, List<String> errorSamples) {

    public long ios() {
        return reads + writes;
    }

    public double iops() {
        return elapsedNs == 0 ? 0 : ios() * 1e9 / elapsedNs;
    }

    /** Megabytes (10^6 bytes) a second, as fio's MB/s. */
    public double mbps() {
        return elapsedNs == 0 ? 0 : (readBytes + writeBytes) * 1e3 / elapsedNs;
    }

    /** The summary lines for the console. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "blkbench: %s bs=%d iodepth=%d on %s: %d ios in %.3f s: %.0f IOPS, %.1f MB/s",
                job.rw().text(), job.blockSize(), job.ioDepth(), device, ios(), elapsedNs / 1e9, iops(), mbps()));
        lines.add(String.format(Locale.ROOT, "blkbench: reads %d (%d bytes), writes %d (%d bytes), flushes %d",
                reads, readBytes, writes, writeBytes, flushes));
        lines.add(String.format(Locale.ROOT, "blkbench: latency us: p50 %.1f, p99 %.1f, p99.9 %.1f, max %.1f, mean %.1f",
                latency.percentile(0.50) / 1e3, latency.percentile(0.99) / 1e3, latency.percentile(0.999) / 1e3,
                latency.max() / 1e3, latency.mean() / 1e3));
        lines.add(String.format(Locale.ROOT, "blkbench: errors: io %d, verify %d%s", ioErrors, verifyErrors,
                job.verify() ? " (" + verifiedSectors + " sectors verified)" : ""));
        for (String e : errorSamples) {
            lines.add("blkbench: error: " + e);
        }
        return lines;
    }

    /** The result as one line of JSON (keys in a fixed order; numbers as integers where they are). */
    public String json() {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"app\":\"blkbench\"");
        b.append(",\"rw\":\"").append(job.rw().text()).append('"');
        b.append(",\"bs\":").append(job.blockSize());
        b.append(",\"iodepth\":").append(job.ioDepth());
        b.append(",\"dev\":\"").append(escape(device)).append('"');
        b.append(",\"verify\":\"").append(job.verify() ? "crc32c" : "none").append('"');
        b.append(",\"fsync\":").append(job.fsyncEvery());
        b.append(",\"elapsed_ns\":").append(elapsedNs);
        b.append(",\"ios\":").append(ios());
        b.append(",\"reads\":").append(reads);
        b.append(",\"writes\":").append(writes);
        b.append(",\"flushes\":").append(flushes);
        b.append(",\"read_bytes\":").append(readBytes);
        b.append(",\"write_bytes\":").append(writeBytes);
        b.append(String.format(Locale.ROOT, ",\"iops\":%.1f,\"mb_per_s\":%.3f", iops(), mbps()));
        b.append(",\"lat_ns\":{\"p50\":").append(latency.percentile(0.50))
                .append(",\"p99\":").append(latency.percentile(0.99))
                .append(",\"p99_9\":").append(latency.percentile(0.999))
                .append(",\"max\":").append(latency.max())
                .append(",\"mean\":").append(latency.mean()).append('}');
        b.append(",\"errors\":{\"io\":").append(ioErrors).append(",\"verify\":").append(verifyErrors).append('}');
        b.append(",\"verified_sectors\":").append(verifiedSectors);
        b.append('}');
        return b.toString();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
