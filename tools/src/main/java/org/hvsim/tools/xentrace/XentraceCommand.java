package org.hvsim.tools.xentrace;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.hvsim.proto.control.RecordSchedTraceRequest;
import org.hvsim.proto.control.SchedTraceChunk;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.Interrupts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xentrace [-T seconds] [-o file | file]}: records the scheduler trace for {@code -T} seconds (or
 * until Ctrl-C, an hour at most) and writes it as a Chrome/Perfetto trace-event JSON file, then prints a
 * summary on stderr. Without a file the JSON goes to stdout, unless stdout is a terminal (Xen's
 * xentrace refuses a TTY too). Ctrl-C ends the recording early and still writes what was recorded.
 *
 * <p>Threads: the command's thread records and writes; the interrupt action (which only cancels the
 * call) runs on the thread {@link Interrupts} runs it on.
 */
@Command(name = "xentrace",
        description = "Record the hypervisor's scheduler trace and write it as a Chrome/Perfetto trace-event "
                + "JSON file (open it at https://ui.perfetto.dev).",
        customSynopsis = "xentrace [-T seconds] [-o file | file]")
public final class XentraceCommand implements Callable<Integer> {
    static final String PROGRAM = "xentrace";
    static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(3600);

    @Option(names = {"-T", "--time-interval"}, paramLabel = "seconds",
            description = "How long to record, in seconds (decimals allowed, 0.001 to 3600; default: until Ctrl-C, "
                    + "an hour at most).")
    BigDecimal seconds;

    @Option(names = {"-o", "--output"}, paramLabel = "file", description = "The JSON file to write.")
    Path output;

    @Parameters(index = "0", arity = "0..1", paramLabel = "file", description = "The JSON file to write (as -o).")
    Path positional;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help.")
    boolean helpRequested;

    private final PrintWriter err;
    private final Supplier<OutputStream> stdout;
    private final boolean stdoutIsTerminal;
    private final ControlPlaneConnector connector;
    private final Interrupts interrupts;

    public XentraceCommand(PrintWriter err, Supplier<OutputStream> stdout, boolean stdoutIsTerminal,
            ControlPlaneConnector connector, Interrupts interrupts) {
        this.err = Objects.requireNonNull(err, "err");
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.stdoutIsTerminal = stdoutIsTerminal;
        this.connector = Objects.requireNonNull(connector, "connector");
        this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
    }

    @Override
    public Integer call() {
        if (output != null && positional != null && !output.equals(positional)) {
            return fail("give the output file once (-o " + output + " or " + positional + ")");
        }
        Path file = output != null ? output : positional;
        if (file == null && stdoutIsTerminal) {
            return fail("Cannot output to a TTY, specify a log file.");
        }
        int durationMs;
        if (seconds == null) {
            durationMs = MAX_SECONDS.intValue() * 1000;
        } else {
            BigDecimal ms = seconds.movePointRight(3);
            if (ms.compareTo(BigDecimal.ONE) < 0 || seconds.compareTo(MAX_SECONDS) > 0 || ms.stripTrailingZeros().scale() > 0) {
                return fail("-T must be a number of seconds from 0.001 to 3600, in whole milliseconds; got "
                        + seconds.toPlainString());
            }
            durationMs = ms.intValueExact();
        }
        SchedTraceLog log = new SchedTraceLog();
        try (ControlPlane control = connector.connect()) {
            String problem = record(control, durationMs, log);
            if (problem != null) {
                return fail(problem);
            }
        } catch (HostNotRunningException e) {
            return fail(e.getMessage());
        }
        try {
            Summary summary = write(log, file);
            err.print(summary.text());
            if (!log.complete()) {
                err.print(PROGRAM + ": the recording ended early; the file holds what was recorded\n");
            }
            if (file != null) {
                err.print(PROGRAM + ": wrote " + file + "; open it at https://ui.perfetto.dev (Open trace file)\n");
            }
            return 0;
        } catch (IOException e) {
            return fail("cannot write " + (file == null ? "stdout" : file) + ": " + e.getMessage());
        } finally {
            err.flush();
        }
    }

    /** Streams the recording into {@code log}; null, or what went wrong. */
    private String record(ControlPlane control, int durationMs, SchedTraceLog log) {
        Context.CancellableContext call = Context.current().withCancellation();
        AtomicBoolean interrupted = new AtomicBoolean();
        try (Interrupts.Registration registration = interrupts.onInterrupt(() -> {
            interrupted.set(true);
            call.cancel(null);
        })) {
            Iterator<SchedTraceChunk> stream;
            Context previous = call.attach();
            try {
                stream = control.traces().recordSchedTrace(
                        RecordSchedTraceRequest.newBuilder().setDurationMs(durationMs).build());
            } finally {
                call.detach(previous);
            }
            while (stream.hasNext()) {
                log.add(stream.next());
            }
            return null;
        } catch (StatusRuntimeException e) {
            if (interrupted.get()) {
                return null;
            }
            Status s = e.getStatus();
            if (s.getCode() == Status.Code.UNAVAILABLE) {
                return HostNotRunningException.unreachable(control.target(),
                        s.getDescription() != null ? s.getDescription() : s.getCode().name()).getMessage();
            }
            return s.getDescription() != null ? s.getDescription() : "dom0 refused the recording: " + s.getCode();
        } finally {
            call.cancel(null);
        }
    }

    private Summary write(SchedTraceLog log, Path file) throws IOException {
        if (file == null) {
            OutputStream out = new BufferedOutputStream(stdout.get());
            Summary s = new PerfettoTraceWriter(log).write(out);
            out.flush();
            return s;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            Summary s = new PerfettoTraceWriter(log).write(out);
            out.flush();
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return s;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private int fail(String message) {
        err.print(PROGRAM + ": " + message + "\n");
        err.flush();
        return 1;
    }
}
