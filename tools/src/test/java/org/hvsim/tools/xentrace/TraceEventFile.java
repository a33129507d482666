package org.hvsim.tools.xentrace;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A trace-event JSON file as xentrace writes it, read back for tests: checked against the trace-event
 * schema ({@code trace-event.schema.json}), and its pCPU tracks checked to run one vCPU at a time.
 * Times are read exactly (the file writes microseconds with three decimals) as nanoseconds.
 */
public final class TraceEventFile {
    private static final Schema SCHEMA = loadSchema();

    private final String text;
    private final JsonNode root;

    /** A complete event on a track: from {@code startNs} for {@code durNs}. */
    public record Span(String name, long startNs, long durNs, JsonNode event) {
        public long endNs() {
            return startNs + durNs;
        }
    }

    private TraceEventFile(String text) {
        this.text = text;
        this.root = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build().readTree(text);
    }

    /** Reads {@code text}; an AssertionError if it is not JSON. */
    public static TraceEventFile of(String text) {
        try {
            return new TraceEventFile(text);
        } catch (RuntimeException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }

    private static Schema loadSchema() {
        try (InputStream in = TraceEventFile.class.getResourceAsStream("trace-event.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the trace-event schema finds wrong (none for a valid file). */
    public List<String> schemaErrors() {
        List<String> out = new ArrayList<>();
        for (Error e : SCHEMA.validate(text, InputFormat.JSON)) {
            out.add(e.toString());
        }
        return out;
    }

    public JsonNode root() {
        return root;
    }

    /** Every event. */
    public List<JsonNode> events() {
        List<JsonNode> out = new ArrayList<>();
        root.get("traceEvents").forEach(out::add);
        return out;
    }

    /** The complete events of process {@code pid} by thread, each thread's in time order. */
    public Map<Integer, List<Span>> spans(int pid) {
        Map<Integer, List<Span>> out = new TreeMap<>();
        for (JsonNode e : events()) {
            if (e.get("ph").asString().equals("X") && e.get("pid").asInt() == pid) {
                out.computeIfAbsent(e.get("tid").asInt(), t -> new ArrayList<>())
                        .add(new Span(e.get("name").asString(), ns(e.get("ts")), ns(e.get("dur")), e));
            }
        }
        out.values().forEach(l -> l.sort(Comparator.comparingLong(Span::startNs)));
        return out;
    }

    /** The spans of each pCPU track (process 0). */
    public Map<Integer, List<Span>> pcpuSpans() {
        return spans(PerfettoTraceWriter.PCPU_PID);
    }

    /** Throws an AssertionError naming the first pCPU track that shows two vCPUs running at once. */
    public void assertNoPcpuRanTwoVcpusAtOnce() {
        for (Map.Entry<Integer, List<Span>> track : pcpuSpans().entrySet()) {
            Span before = null;
            for (Span s : track.getValue()) {
                if (before != null && s.startNs() < before.endNs()) {
                    throw new AssertionError("pCPU " + track.getKey() + " ran " + before.name() + " until "
                            + before.endNs() + " ns and " + s.name() + " from " + s.startNs() + " ns");
                }
                before = s;
            }
        }
    }

    private static long ns(JsonNode micros) {
        return micros.decimalValue().movePointRight(3).longValueExact();
    }
}
