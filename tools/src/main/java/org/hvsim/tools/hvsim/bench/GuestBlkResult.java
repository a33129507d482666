package org.hvsim.tools.hvsim.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The figures of a guest's blkbench run that the block benchmark compares, read from the one JSON object
 * blkbench publishes ({@code xl workload-result}): requests, elapsed time, bytes, latency percentiles and
 * errors. Keys it does not know are skipped, so the result may grow.
 */
public record GuestBlkResult(long ios, long elapsedNs, long bytes, long p50Ns, long p99Ns, long ioErrors) {
    private static final JsonFactory JSON = new JsonFactory();

    public double iops() {
        return ios * 1e9 / elapsedNs;
    }

    public double megabytesPerSecond() {
        return bytes * 1e3 / elapsedNs;
    }

    /** Parses blkbench's JSON; an object without its figures, or not JSON, is an {@link IOException}. */
    public static GuestBlkResult parse(String json) throws IOException {
        long ios = -1;
        long elapsed = -1;
        long bytes = 0;
        long p50 = -1;
        long p99 = -1;
        long errors = -1;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object: " + json);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                switch (key) {
                    case "ios" -> ios = p.getLongValue();
                    case "elapsed_ns" -> elapsed = p.getLongValue();
                    case "read_bytes", "write_bytes" -> bytes += p.getLongValue();
                    case "lat_ns", "errors" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            p.nextToken();
                            switch (key + "." + inner) {
                                case "lat_ns.p50" -> p50 = p.getLongValue();
                                case "lat_ns.p99" -> p99 = p.getLongValue();
                                case "errors.io" -> errors = p.getLongValue();
                                default -> p.skipChildren();
                            }
                        }
                    }
                    default -> {
                        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                            p.skipChildren();
                        }
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("not blkbench's JSON: " + e.getOriginalMessage(), e);
        }
        if (ios < 0 || elapsed <= 0 || p50 < 0 || p99 < 0 || errors < 0) {
            throw new IOException("blkbench's JSON lacks ios, elapsed_ns, lat_ns or errors: " + json);
        }
        return new GuestBlkResult(ios, elapsed, bytes, p50, p99, errors);
    }
}
