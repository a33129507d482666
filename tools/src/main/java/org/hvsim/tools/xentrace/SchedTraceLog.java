package org.hvsim.tools.xentrace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hvsim.proto.control.SchedTraceChunk;
import org.hvsim.proto.control.SchedTraceHeader;
import org.hvsim.proto.control.TracedDomain;

/**
 * What one recording streamed: the host and domains of its header and footer, and every record,
 * which {@link #records} gives in time order (equal times keep the order they arrived in). Records
 * whose words are not whole are not kept.
 *
 * <p>Threads: one (the thread reading the stream, then the one writing the file).
 */
public final class SchedTraceLog {
    private final List<TraceRecord> records = new ArrayList<>();
    private final Map<Integer, String> domains = new TreeMap<>();
    private SchedTraceHeader header = SchedTraceHeader.getDefaultInstance();
    private long dropped;
    private boolean complete;
    private boolean sorted = true;

    /** Takes one chunk of the stream. */
    public void add(SchedTraceChunk chunk) {
        switch (chunk.getBodyCase()) {
            case HEADER -> {
                header = chunk.getHeader();
                addDomains(header.getDomainsList());
            }
            case RECORDS -> {
                List<Long> w = chunk.getRecords().getWordsList();
                for (int i = 0; i + TraceRecord.WORDS <= w.size(); i += TraceRecord.WORDS) {
                    TraceRecord r = TraceRecord.decode(w.get(i), w.get(i + 1), w.get(i + 2));
                    sorted &= records.isEmpty() || records.getLast().timeNs() <= r.timeNs();
                    records.add(r);
                }
                dropped += chunk.getRecords().getDropped();
            }
            case FOOTER -> {
                addDomains(chunk.getFooter().getDomainsList());
                dropped = Math.max(dropped, chunk.getFooter().getDropped());
                complete = true;
            }
            default -> {
                // a chunk of a newer dom0: nothing this client knows to take from it
            }
        }
    }

    private void addDomains(List<TracedDomain> list) {
        for (TracedDomain d : list) {
            domains.put(d.getDomid(), d.getName());
        }
    }

    /** Every record, in time order. */
    public List<TraceRecord> records() {
        if (!sorted) {
            records.sort(Comparator.comparingLong(TraceRecord::timeNs));   // stable
            sorted = true;
        }
        return Collections.unmodifiableList(records);
    }

    public SchedTraceHeader header() {
        return header;
    }

    /** Domain names by domid, from the header and the footer. */
    public Map<Integer, String> domains() {
        return Collections.unmodifiableMap(domains);
    }

    /** Records lost on the way (the hypervisor's buffers, dom0, or this client too slow). */
    public long dropped() {
        return dropped;
    }

    /** Whether the stream ended with its footer (not cut short). */
    public boolean complete() {
        return complete;
    }
}
