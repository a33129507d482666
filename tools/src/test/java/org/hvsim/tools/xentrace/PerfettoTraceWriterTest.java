package org.hvsim.tools.xentrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hvsim.proto.control.SchedTraceChunk;
import org.hvsim.proto.control.SchedTraceFooter;
import org.hvsim.proto.control.SchedTraceHeader;
import org.hvsim.proto.control.SchedTraceRecords;
import org.hvsim.proto.control.TracedDomain;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The JSON xentrace writes, from streams made by hand and at random. */
class PerfettoTraceWriterTest {
    private static final int RUNNING = TraceRecord.RUNSTATE_RUNNING;
    private static final int RUNNABLE = TraceRecord.RUNSTATE_RUNNABLE;
    private static final int BLOCKED = TraceRecord.RUNSTATE_BLOCKED;

    private static TraceRecord runstate(long t, int pcpu, int domid, int vcpu, int from, int to) {
        return new TraceRecord(t, TraceRecord.KIND_RUNSTATE, pcpu, domid, vcpu, (long) from << 8 | to);
    }

    private static TraceRecord event(long t, int kind, int domid, int vcpu, long arg) {
        return new TraceRecord(t, kind, TraceRecord.NO_PCPU, domid, vcpu, arg);
    }

    /** A stream of a header (2 pCPUs, credit, domains 1 "web" and 2 "db"), {@code records} in batches of 3, a footer. */
    private static SchedTraceLog log(List<TraceRecord> records) {
        SchedTraceLog log = new SchedTraceLog();
        log.add(SchedTraceChunk.newBuilder().setHeader(SchedTraceHeader.newBuilder().setNrCpus(2)
                .setScheduler("credit").setStartUnixNanos(1_700_000_000_000_000_000L)
                .addDomains(TracedDomain.newBuilder().setDomid(0).setName("Domain-0"))
                .addDomains(TracedDomain.newBuilder().setDomid(1).setName("web"))).build());
        for (int i = 0; i < records.size(); i += 3) {
            SchedTraceRecords.Builder b = SchedTraceRecords.newBuilder();
            for (TraceRecord r : records.subList(i, Math.min(records.size(), i + 3))) {
                for (long w : r.words()) {
                    b.addWords(w);
                }
            }
            log.add(SchedTraceChunk.newBuilder().setRecords(b).build());
        }
        log.add(SchedTraceChunk.newBuilder().setFooter(SchedTraceFooter.newBuilder()
                .addDomains(TracedDomain.newBuilder().setDomid(2).setName("db")).setRecords(records.size())).build());
        return log;
    }

    private static TraceEventFile write(SchedTraceLog log) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PerfettoTraceWriter(log).write(out);
        return TraceEventFile.of(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPcpuTrackShowsWhoRanWhenAndVcpuTracksShowTheirStatesAndEvents() throws IOException {
        List<TraceRecord> records = List.of(
                runstate(1_000, 0, 1, 0, RUNNABLE, RUNNING),
                event(1_500, TraceRecord.KIND_UPCALL, 1, 0, 0),
                runstate(3_000, 0, 1, 0, RUNNING, BLOCKED),
                runstate(3_000, 0, 2, 1, RUNNABLE, RUNNING),
                event(4_000, TraceRecord.KIND_TIMER, 1, 0, 0),
                event(4_000, TraceRecord.KIND_BOOST, 1, 0, 0),
                runstate(4_000, 0, 1, 0, BLOCKED, RUNNABLE),
                event(5_000, TraceRecord.KIND_ACCOUNT, 2, 1, (long) (-2 & 0xff) << 32 | (-25 & 0xffff_ffffL)),
                runstate(6_250, 0, 2, 1, RUNNING, RUNNABLE),
                runstate(6_250, 0, 1, 0, RUNNABLE, RUNNING),
                runstate(9_001, 0, 1, 0, RUNNING, RUNNABLE));
        TraceEventFile file = write(log(records));
        assertEquals(List.of(), file.schemaErrors());
        file.assertNoPcpuRanTwoVcpusAtOnce();

        List<TraceEventFile.Span> pcpu0 = file.pcpuSpans().get(0);
        assertEquals(List.of("web v0", "db v1", "web v0"), pcpu0.stream().map(TraceEventFile.Span::name).toList());
        assertEquals(List.of(0L, 2_000L, 5_250L), pcpu0.stream().map(TraceEventFile.Span::startNs).toList(),
                "times from the first record");
        assertEquals(List.of(2_000L, 3_250L, 2_751L), pcpu0.stream().map(TraceEventFile.Span::durNs).toList());

        Map<Integer, List<TraceEventFile.Span>> web = file.spans(2);   // pid = domid + 1
        assertEquals(List.of("running", "blocked", "runnable", "running"),
                web.get(0).stream().map(TraceEventFile.Span::name).toList());
        assertEquals(0, web.get(0).getFirst().event().get("args").get("pcpu").asInt());
        List<String> instants = new ArrayList<>();
        JsonNode credit = null;
        for (JsonNode e : file.events()) {
            switch (e.get("ph").asString()) {
                case "i" -> instants.add(e.get("name").asString() + "@" + e.get("pid").asInt() + "/"
                        + e.get("tid").asInt() + "/" + e.get("ts").decimalValue().toPlainString());
                case "C" -> credit = e;
                default -> { }
            }
        }
        assertEquals(List.of("upcall@2/0/0.500", "timer@2/0/3.000", "boost@2/0/3.000"), instants);
        assertEquals("credit v1", credit.get("name").asString());
        assertEquals(3, credit.get("pid").asInt());
        assertEquals(-25, credit.get("args").get("credit").asInt());

        List<String> names = new ArrayList<>();
        for (JsonNode e : file.events()) {
            if (e.get("ph").asString().equals("M") && e.get("name").asString().endsWith("_name")) {
                names.add(e.get("pid").asInt() + ":" + e.get("args").get("name").asString());
            }
        }
        assertTrue(names.containsAll(List.of("0:hvsim pCPUs (credit)", "0:pCPU 0", "0:pCPU 1", "2:d1 web",
                "3:d2 db", "2:vCPU 0", "3:vCPU 1")), names.toString());
        assertEquals("credit", file.root().get("otherData").get("scheduler").asString());
    }

    @Test
    void aVcpuRunningBeforeTheFirstRecordRunsFromItAndOneStillRunningEndsAtTheLast() throws IOException {
        TraceEventFile file = write(log(List.of(
                runstate(10_000, 1, 1, 0, BLOCKED, RUNNABLE),
                runstate(12_000, 1, 2, 0, RUNNING, RUNNABLE),
                runstate(12_000, 1, 1, 0, RUNNABLE, RUNNING),
                runstate(20_000, 0, 2, 0, RUNNABLE, RUNNING))));
        assertEquals(List.of(), file.schemaErrors());
        List<TraceEventFile.Span> pcpu1 = file.pcpuSpans().get(1);
        assertEquals(List.of("db v0", "web v0"), pcpu1.stream().map(TraceEventFile.Span::name).toList());
        assertEquals(0, pcpu1.get(0).startNs());
        assertEquals(2_000, pcpu1.get(0).durNs());
        assertEquals(8_000, pcpu1.get(1).durNs(), "open until the last record");
    }

    @Provide
    Arbitrary<List<TraceRecord>> streams() {
        Arbitrary<TraceRecord> runstates = Combinators.combine(Arbitraries.longs().between(0, 1_000_000),
                Arbitraries.of(0, 1, 2, TraceRecord.NO_PCPU), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3))
                .as((t, p, d, v, from, to) -> runstate(t, p, d, v, from, to));
        Arbitrary<TraceRecord> others = Combinators.combine(Arbitraries.longs().between(0, 1_000_000),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 2), Arbitraries.longs())
                .as((t, kind, d, v, arg) -> event(t, kind, d, v, arg));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, runstates), net.jqwik.api.Tuple.of(1, others))
                .list().ofMaxSize(200);
    }

    /**
     * Whatever records arrive, in whatever order and with any of them lost: the file is valid trace-event
     * JSON and no pCPU track shows two vCPUs at once.
     */
    @Property(tries = 200)
    void anyStreamGivesAValidFileWithOneVcpuAtATimePerPcpu(@ForAll("streams") List<TraceRecord> records)
            throws IOException {
        TraceEventFile file = write(log(records));
        assertEquals(List.of(), file.schemaErrors());
        file.assertNoPcpuRanTwoVcpusAtOnce();
    }

    @Test
    void microsecondsKeepNanosecondPrecision() {
        assertEquals("0.000", PerfettoTraceWriter.micros(0));
        assertEquals("1.005", PerfettoTraceWriter.micros(1_005));
        assertEquals("12345678.901", PerfettoTraceWriter.micros(12_345_678_901L));
        assertEquals("-0.250", PerfettoTraceWriter.micros(-250));
    }
}
