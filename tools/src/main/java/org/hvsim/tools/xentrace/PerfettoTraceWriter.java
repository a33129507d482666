package org.hvsim.tools.xentrace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a {@link SchedTraceLog} as a Chrome trace-event file (the JSON Object Format, which Perfetto's
 * UI and chrome://tracing open as they are):
 * <ul>
 *   <li>process "hvsim pCPUs" (pid 0), one thread per pCPU: a complete event ("X") for every stretch
 *       a vCPU ran there, named "<domain> v<n>";</li>
 *   <li>one process per domain (pid domid + 1), one thread per vCPU: complete events for its runstates
 *       (running, runnable, blocked, offline; running ones name their pCPU), instant events ("i") for
 *       BOOST, timer interrupts and event upcalls, and a counter ("C") "credit v<n>" after each
 *       accounting period.</li>
 * </ul>
 * Times are microseconds (with ns precision) from the first record; a stretch that began before the
 * first record starts there (or, on a pCPU, where its previous stretch ended: a record was lost), one
 * still open at the last record ends there.
 *
 * <p>Threads: one.
 */
public final class PerfettoTraceWriter {
    static final int PCPU_PID = 0;

    private final SchedTraceLog log;
    private final Map<Long, Open> vcpus = new HashMap<>();
    private final Map<Integer, Open> pcpus = new HashMap<>();
    /** When each pCPU's last stretch ended: a vCPU seen leaving it without having been seen coming ran since. */
    private final Map<Integer, Long> pcpuFreeSince = new HashMap<>();
    private final TreeMap<Integer, TreeSet<Integer>> seenVcpus = new TreeMap<>();
    private final TreeSet<Integer> seenPcpus = new TreeSet<>();
    private JsonGenerator json;
    private long origin;
    private Summary.Builder summary;

    /** An open stretch: a vCPU's state since {@code since} (on {@code pcpu} when running), or a pCPU's vCPU. */
    private record Open(int state, long since, int pcpu, int domid, int vcpu) {}

    public PerfettoTraceWriter(SchedTraceLog log) {
        this.log = log;
    }

    /** Writes the trace to {@code out} (left open); returns what it holds. */
    public Summary write(OutputStream out) throws IOException {
        List<TraceRecord> records = log.records();
        origin = records.isEmpty() ? 0 : records.getFirst().timeNs();
        long end = records.isEmpty() ? 0 : records.getLast().timeNs();
        summary = new Summary.Builder(log.header().getNrCpus(), end - origin, records.size(), log.dropped());
        for (int p = 0; p < log.header().getNrCpus(); p++) {
            seenPcpus.add(p);
        }
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json = g;
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ns");
            g.writeObjectFieldStart("otherData");
            g.writeStringField("producer", "hvsim xentrace");
            g.writeStringField("scheduler", log.header().getScheduler());
            g.writeNumberField("nr_cpus", log.header().getNrCpus());
            g.writeNumberField("start_unix_ns", log.header().getStartUnixNanos());
            g.writeNumberField("records", records.size());
            g.writeNumberField("dropped", log.dropped());
            g.writeEndObject();
            g.writeArrayFieldStart("traceEvents");
            for (TraceRecord r : records) {
                take(r);
            }
            for (Open o : List.copyOf(vcpus.values())) {
                vcpuStretch(o, end);
            }
            for (Map.Entry<Integer, Open> e : pcpus.entrySet()) {
                pcpuStretch(e.getKey(), e.getValue(), end);
            }
            metadata();
            g.writeEndArray();
            g.writeEndObject();
        }
        return summary.build();
    }

    private void take(TraceRecord r) throws IOException {
        seenVcpus.computeIfAbsent(r.domid(), d -> new TreeSet<>()).add(r.vcpu());
        switch (r.kind()) {
            case TraceRecord.KIND_RUNSTATE -> runstate(r);
            case TraceRecord.KIND_BOOST -> {
                instant("boost", "credit", r);
                summary.boost();
            }
            case TraceRecord.KIND_TIMER -> instant("timer", "irq", r);
            case TraceRecord.KIND_UPCALL -> instant("upcall", "irq", r);
            case TraceRecord.KIND_ACCOUNT -> {
                event("credit v" + r.vcpu(), "credit", "C", r.timeNs(), pid(r.domid()), -1);
                json.writeObjectFieldStart("args");
                json.writeNumberField("credit", r.credit());
                json.writeEndObject();
                json.writeEndObject();
            }
            default -> {
                // a kind of a newer hypervisor: not shown
            }
        }
    }

    private void runstate(TraceRecord r) throws IOException {
        long key = (long) r.domid() << 16 | r.vcpu();
        Open before = vcpus.get(key);
        if (before == null) {
            before = new Open(r.oldState(), origin, r.pcpu(), r.domid(), r.vcpu());
        }
        vcpuStretch(before, r.timeNs());
        int pcpu = r.pcpu() == TraceRecord.NO_PCPU ? -1 : r.pcpu();
        vcpus.put(key, new Open(r.newState(), r.timeNs(), pcpu, r.domid(), r.vcpu()));
        if (pcpu < 0) {
            return;
        }
        seenPcpus.add(pcpu);
        if (r.oldState() == TraceRecord.RUNSTATE_RUNNING) {
            Open on = pcpus.get(pcpu);
            if (on == null) {
                on = new Open(TraceRecord.RUNSTATE_RUNNING, pcpuFreeSince.getOrDefault(pcpu, origin), pcpu,
                        r.domid(), r.vcpu());
            }
            if (on.domid() == r.domid() && on.vcpu() == r.vcpu()) {
                pcpuStretch(pcpu, on, r.timeNs());
                pcpus.remove(pcpu);
            }
        }
        if (r.newState() == TraceRecord.RUNSTATE_RUNNING) {
            Open on = pcpus.remove(pcpu);
            if (on != null) {
                pcpuStretch(pcpu, on, r.timeNs());   // its leaving was not recorded (lost): it ends here
            }
            pcpus.put(pcpu, new Open(TraceRecord.RUNSTATE_RUNNING, r.timeNs(), pcpu, r.domid(), r.vcpu()));
            summary.dispatch(pcpu);
        }
    }

    private void vcpuStretch(Open o, long until) throws IOException {
        if (until <= o.since()) {
            return;
        }
        event(TraceRecord.stateName(o.state()), "runstate", "X", o.since(), pid(o.domid()), o.vcpu());
        json.writeFieldName("dur");
        json.writeNumber(micros(until - o.since()));
        if (o.state() == TraceRecord.RUNSTATE_RUNNING && o.pcpu() >= 0) {
            json.writeObjectFieldStart("args");
            json.writeNumberField("pcpu", o.pcpu());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private void pcpuStretch(int pcpu, Open o, long until) throws IOException {
        pcpuFreeSince.merge(pcpu, until, Math::max);
        if (until <= o.since()) {
            return;
        }
        event(vcpuName(o.domid(), o.vcpu()), "sched", "X", o.since(), PCPU_PID, pcpu);
        json.writeFieldName("dur");
        json.writeNumber(micros(until - o.since()));
        json.writeObjectFieldStart("args");
        json.writeNumberField("domid", o.domid());
        json.writeNumberField("vcpu", o.vcpu());
        json.writeEndObject();
        json.writeEndObject();
        summary.ran(pcpu, until - o.since());
    }

    private void instant(String name, String cat, TraceRecord r) throws IOException {
        event(name, cat, "i", r.timeNs(), pid(r.domid()), r.vcpu());
        json.writeStringField("s", "t");
        if (r.pcpu() != TraceRecord.NO_PCPU) {
            json.writeObjectFieldStart("args");
            json.writeNumberField("pcpu", r.pcpu());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    /** Opens an event object with its common fields (tid -1: none). The caller closes it. */
    private void event(String name, String cat, String ph, long timeNs, int pid, int tid) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("cat", cat);
        json.writeStringField("ph", ph);
        json.writeFieldName("ts");
        json.writeNumber(micros(timeNs - origin));
        json.writeNumberField("pid", pid);
        if (tid >= 0) {
            json.writeNumberField("tid", tid);
        }
    }

    private void metadata() throws IOException {
        meta("process_name", PCPU_PID, -1, "name", "hvsim pCPUs (" + log.header().getScheduler() + ")");
        meta("process_sort_index", PCPU_PID, -1, "sort_index", -1);
        for (int p : seenPcpus) {
            meta("thread_name", PCPU_PID, p, "name", "pCPU " + p);
            meta("thread_sort_index", PCPU_PID, p, "sort_index", p);
        }
        for (Map.Entry<Integer, TreeSet<Integer>> d : seenVcpus.entrySet()) {
            int domid = d.getKey();
            meta("process_name", pid(domid), -1, "name", "d" + domid + " " + domainName(domid));
            meta("process_sort_index", pid(domid), -1, "sort_index", domid);
            for (int v : d.getValue()) {
                meta("thread_name", pid(domid), v, "name", "vCPU " + v);
                meta("thread_sort_index", pid(domid), v, "sort_index", v);
            }
        }
    }

    private void meta(String name, int pid, int tid, String key, Object value) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("ph", "M");
        json.writeNumberField("pid", pid);
        if (tid >= 0) {
            json.writeNumberField("tid", tid);
        }
        json.writeObjectFieldStart("args");
        if (value instanceof Integer i) {
            json.writeNumberField(key, i);
        } else {
            json.writeStringField(key, value.toString());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private String domainName(int domid) {
        return log.domains().getOrDefault(domid, "d" + domid);
    }

    private String vcpuName(int domid, int vcpu) {
        return domainName(domid) + " v" + vcpu;
    }

    private static int pid(int domid) {
        return domid + 1;
    }

    /** {@code ns} as microseconds with three decimals, the way the file writes times. */
    static String micros(long ns) {
        long abs = Math.abs(ns);
        String frac = Long.toString(1000 + abs % 1000).substring(1);
        return (ns < 0 ? "-" : "") + abs / 1000 + "." + frac;
    }
}
