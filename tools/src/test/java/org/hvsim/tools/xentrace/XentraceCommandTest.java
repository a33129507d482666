package org.hvsim.tools.xentrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.RecordSchedTraceRequest;
import org.hvsim.proto.control.SchedTraceChunk;
import org.hvsim.proto.control.SchedTraceFooter;
import org.hvsim.proto.control.SchedTraceHeader;
import org.hvsim.proto.control.SchedTraceRecords;
import org.hvsim.proto.control.TraceServiceGrpc;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** xentrace's arguments, messages and output against an in-process TraceService. */
class XentraceCommandTest {
    private final List<RecordSchedTraceRequest> requests = new ArrayList<>();
    private Status refusal;
    private Server server;
    private final String name = "xentrace-test-" + System.nanoTime();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    record Result(int exit, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new TraceServiceGrpc.TraceServiceImplBase() {
            @Override
            public void recordSchedTrace(RecordSchedTraceRequest req, StreamObserver<SchedTraceChunk> out) {
                requests.add(req);
                if (refusal != null) {
                    out.onError(refusal.asRuntimeException());
                    return;
                }
                out.onNext(SchedTraceChunk.newBuilder().setHeader(SchedTraceHeader.newBuilder().setNrCpus(1)
                        .setScheduler("credit")).build());
                SchedTraceRecords.Builder b = SchedTraceRecords.newBuilder();
                for (TraceRecord r : List.of(
                        new TraceRecord(100, TraceRecord.KIND_RUNSTATE, 0, 1, 0, TraceRecord.RUNSTATE_RUNNABLE << 8),
                        new TraceRecord(2_100, TraceRecord.KIND_RUNSTATE, 0, 1, 0, TraceRecord.RUNSTATE_BLOCKED))) {
                    for (long w : r.words()) {
                        b.addWords(w);
                    }
                }
                out.onNext(SchedTraceChunk.newBuilder().setRecords(b.setDropped(3)).build());
                out.onNext(SchedTraceChunk.newBuilder().setFooter(SchedTraceFooter.newBuilder().setRecords(2)
                        .setDropped(3)).build());
                out.onCompleted();
            }
        }).build().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    private ControlPlaneConnector connector() {
        return () -> {
            ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
            return new ControlPlane(channel, "/fake/control.sock", () -> { });
        };
    }

    private Result run(boolean tty, String... args) {
        StringWriter err = new StringWriter();
        XentraceCommand command = new XentraceCommand(new PrintWriter(err), () -> stdout, tty, connector(),
                action -> () -> { });
        int exit = new CommandLine(command).setErr(new PrintWriter(err)).execute(args);
        return new Result(exit, err.toString());
    }

    @Test
    void recordsForTheGivenSecondsAndWritesTheFileWithASummary() throws Exception {
        Path file = dir.resolve("trace.json");
        Result r = run(false, "-T", "2.5", "-o", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(2500, requests.getFirst().getDurationMs());
        assertTrue(r.err().startsWith("2 records over 0.000 s, 3 lost, 0 boosts\n  pCPU 0: 1 dispatches, busy 100.0%\n"),
                r.err());
        assertTrue(r.err().endsWith("xentrace: wrote " + file + "; open it at https://ui.perfetto.dev (Open trace file)\n"),
                r.err());
        TraceEventFile json = TraceEventFile.of(Files.readString(file));
        assertEquals(List.of(), json.schemaErrors());
        assertEquals(1, json.pcpuSpans().get(0).size());
        assertFalse(Files.exists(dir.resolve("trace.json.tmp")));
    }

    @Test
    void theFileMayBeGivenWithoutOptionAndWithoutTimeItRecordsAnHourAtMost() throws Exception {
        Path file = dir.resolve("t.json");
        assertEquals(0, run(false, file.toString()).exit());
        assertEquals(3_600_000, requests.getFirst().getDurationMs());
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void withoutAFileTheJsonGoesToStdoutButNeverToATerminal() {
        Result r = run(false, "-T", "0.001");
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, requests.getFirst().getDurationMs());
        assertEquals(List.of(), TraceEventFile.of(stdout.toString(StandardCharsets.UTF_8)).schemaErrors());
        Result tty = run(true, "-T", "1");
        assertEquals(1, tty.exit());
        assertEquals("xentrace: Cannot output to a TTY, specify a log file.\n", tty.err());
        assertEquals(1, requests.size(), "nothing recorded");
    }

    @Test
    void aTimeOutsideTheRangeOrFinerThanAMillisecondIsRefusedBeforeRecording() {
        for (String bad : new String[] {"0", "0.0004", "3600.001", "-1", "1.0005"}) {
            Result r = run(false, "-T", bad, "-o", dir.resolve("x.json").toString());
            assertEquals(1, r.exit(), bad);
            assertEquals("xentrace: -T must be a number of seconds from 0.001 to 3600, in whole milliseconds; got "
                    + new java.math.BigDecimal(bad).toPlainString() + "\n", r.err());
        }
        assertEquals(2, run(false, "-T", "soon").exit(), "not a number: picocli's usage error");
        assertEquals(List.of(), requests);
    }

    @Test
    void twoDifferentOutputFilesAreRefused() {
        Result r = run(false, "-o", "a.json", "b.json");
        assertEquals(1, r.exit());
        assertEquals("xentrace: give the output file once (-o a.json or b.json)\n", r.err());
    }

    @Test
    void dom0sRefusalIsItsMessageAndNoFileIsWritten() {
        refusal = Status.FAILED_PRECONDITION.withDescription("a scheduler trace is already being recorded");
        Path file = dir.resolve("busy.json");
        Result r = run(false, "-T", "1", file.toString());
        assertEquals(1, r.exit());
        assertEquals("xentrace: a scheduler trace is already being recorded\n", r.err());
        assertFalse(Files.exists(file));
    }
}
