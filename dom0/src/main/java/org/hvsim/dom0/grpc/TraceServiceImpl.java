package org.hvsim.dom0.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.dom0.trace.SchedTraceRecorder;
import org.hvsim.dom0.xen.Xc;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.proto.control.RecordSchedTraceRequest;
import org.hvsim.proto.control.SchedTraceChunk;
import org.hvsim.proto.control.SchedTraceFooter;
import org.hvsim.proto.control.SchedTraceHeader;
import org.hvsim.proto.control.SchedTraceRecords;
import org.hvsim.proto.control.TraceServiceGrpc;
import org.hvsim.proto.control.TracedDomain;
import org.hvsim.proto.privcmd.SchedTraceBatch;

/**
 * TraceService: records the hypervisor's scheduler trace for a while and streams it (xentrace).
 * Threads: gRPC's (a virtual thread per call, which blocks while it records).
 */
final class TraceServiceImpl extends TraceServiceGrpc.TraceServiceImplBase {
    static final int MAX_DURATION_MS = 3_600_000;
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Toolstack ts;
    private final SchedTraceRecorder recorder;

    TraceServiceImpl(Toolstack ts, SchedTraceRecorder recorder) {
        this.ts = ts;
        this.recorder = recorder;
    }

    @Override
    public void recordSchedTrace(RecordSchedTraceRequest req, StreamObserver<SchedTraceChunk> out) {
        int durationMs = req.getDurationMs();
        if (durationMs < 1 || durationMs > MAX_DURATION_MS) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("duration_ms must be within 1 to " + MAX_DURATION_MS
                    + "; got " + Integer.toUnsignedString(durationMs)).asRuntimeException());
            return;
        }
        ServerCallStreamObserver<SchedTraceChunk> call = (ServerCallStreamObserver<SchedTraceChunk>) out;
        Map<Integer, String> domains = new TreeMap<>();
        SchedTraceHeader.Builder header = SchedTraceHeader.newBuilder();
        Xc xc = ts.platform().xc();
        header.setNrCpus(xc.physinfo().nrCpus()).setScheduler(HostServiceImpl.schedulerName(xc.schedulerId()));
        addDomains(domains);
        domains.forEach((id, name) -> header.addDomains(TracedDomain.newBuilder().setDomid(id).setName(name)));
        long records = 0;
        long dropped = 0;
        SchedTraceRecorder.Recording recording;
        try {
            recording = recorder.begin();
        } catch (SchedTraceRecorder.BusyException e) {
            out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        try (recording) {
            Instant start = Instant.now();
            header.setStartUnixNanos(start.getEpochSecond() * 1_000_000_000L + start.getNano());
            out.onNext(SchedTraceChunk.newBuilder().setHeader(header).build());
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
            long left;
            while (!call.isCancelled() && (left = deadline - System.nanoTime()) > 0) {
                SchedTraceBatch batch = recording.poll(Math.min(left, POLL_NS));
                if (batch != null) {
                    out.onNext(records(batch));
                    records += batch.getWordsCount() / 3;
                    dropped += batch.getDropped();
                }
            }
            recording.close();
            for (SchedTraceBatch batch : recording.drain()) {
                out.onNext(records(batch));
                records += batch.getWordsCount() / 3;
                dropped += batch.getDropped();
            }
            dropped += recording.lostHere();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
            return;
        }
        if (call.isCancelled()) {
            return;
        }
        addDomains(domains);
        SchedTraceFooter.Builder footer = SchedTraceFooter.newBuilder().setRecords(records).setDropped(dropped);
        domains.forEach((id, name) -> footer.addDomains(TracedDomain.newBuilder().setDomid(id).setName(name)));
        out.onNext(SchedTraceChunk.newBuilder().setFooter(footer).build());
        out.onCompleted();
    }

    private void addDomains(Map<Integer, String> domains) {
        List<GetDomainInfo> now = ts.domains();
        for (GetDomainInfo d : now) {
            domains.put(d.domain(), ts.nameOf(d.domain()));
        }
    }

    private static SchedTraceChunk records(SchedTraceBatch batch) {
        return SchedTraceChunk.newBuilder().setRecords(SchedTraceRecords.newBuilder()
                .addAllWords(batch.getWordsList()).setDropped(batch.getDropped())
                .setClockOffsetUnixNanos(batch.getClockOffsetUnixNanos())).build();
    }
}
