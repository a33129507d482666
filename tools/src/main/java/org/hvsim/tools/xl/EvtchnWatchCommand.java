package org.hvsim.tools.xl;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Stack;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.EventChannelServiceGrpc;
import org.hvsim.proto.control.WatchEventChannelsRequest;
import org.hvsim.proto.control.WatchEventChannelsResponse;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.evtchn.ActivityKinds;
import org.hvsim.tools.evtchn.RateSummaryTable;
import org.hvsim.tools.evtchn.WatchEventLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl evtchn-watch [-s [interval]] [-p port] [-k kinds] [Domain ...]}: event channel
 * activity as it happens, one line per event ({@link WatchEventLine}), or with {@code -s} a table of rates
 * per port every interval ({@link RateSummaryTable}), until Ctrl-C or the end of the stream. A line says
 * how many events dom0 dropped because xl did not keep up. Not in Xen's xl: hvsim's own.
 *
 * <p>Ctrl-C cancels the call and ends xl with 130, as a shell expects of an interrupted command.
 *
 * <p>Threads: xl's main thread reads the stream and prints; the interrupt action (which only cancels the
 * call's context) runs on the thread {@link Interrupts} runs it on.
 */
@Command(name = "evtchn-watch", description = "Watch event channel activity as it happens (hvsim)",
        customSynopsis = "xl [-vtT] evtchn-watch [-s [<interval>]] [-p <port>] [-k <kinds>] [Domain ...]")
final class EvtchnWatchCommand extends XlSubcommand {
    /** What a command interrupted by SIGINT exits with (128 + 2), as the JVM does for it. */
    static final int EXIT_INTERRUPTED = 130;

    @Option(names = {"-p", "--port"}, split = ",", paramLabel = "<port>", converter = PortConverter.class,
            description = "Only this port (of any watched domain); repeatable.")
    List<Integer> ports = new ArrayList<>();

    @Option(names = {"-k", "--kind"}, split = ",", paramLabel = "<kind>", converter = KindConverter.class,
            description = "Only these kinds: bind, close, send, deliver, masked, unmask; repeatable.")
    List<EventChannelActivityKind> kinds = new ArrayList<>();

    @Option(names = {"-s", "--summary"}, arity = "0..1", paramLabel = "<interval>",
            parameterConsumer = IntervalConsumer.class,
            description = "Instead of events, a table of rates per port every interval "
                    + "(default 1s; e.g. 500ms, 2s, 1m).")
    Duration summary;

    @Parameters(arity = "0..*", paramLabel = "Domain", description = "Only these domains (names or ids).")
    List<String> domains = List.of();

    EvtchnWatchCommand(XlEnvironment env) {
        super(env);
    }

    /** The request these options make, with the domains already resolved to ids. */
    WatchEventChannelsRequest request(List<Long> domids) {
        WatchEventChannelsRequest.Builder request = WatchEventChannelsRequest.newBuilder();
        domids.forEach(domid -> request.addDomains(Long.toString(domid)));
        request.addAllPorts(ports).addAllKinds(kinds);
        if (summary != null) {
            request.setSummaryIntervalMs((int) summary.toMillis());
        }
        return request.build();
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        List<Long> domids = new ArrayList<>();
        for (String qualifier : domains) {
            domids.add(DomainQualifier.find(env, qualifier));
        }
        WatchEventChannelsRequest request = request(domids);
        EventChannelServiceGrpc.EventChannelServiceBlockingStub stub = env.control().eventChannels();
        WatchEventLine lines = new WatchEventLine(env.clock().getZone());
        PrintWriter out = env.out();
        Context.CancellableContext call = Context.current().withCancellation();
        AtomicBoolean interrupted = new AtomicBoolean();
        try (Interrupts.Registration registration = env.interrupts().onInterrupt(() -> {
            interrupted.set(true);
            call.cancel(null);
        })) {
            try {
                Iterator<WatchEventChannelsResponse> stream;
                Context previous = call.attach();
                try {
                    stream = stub.watchEventChannels(request);
                } finally {
                    call.detach(previous);
                }
                while (stream.hasNext()) {
                    print(out, lines, stream.next());
                    if (out.checkError()) {
                        return 0; // stdout is gone (a pipe's reader quit): nobody to watch for
                    }
                }
                return interrupted.get() ? EXIT_INTERRUPTED : 0;
            } catch (StatusRuntimeException e) {
                if (interrupted.get()) {
                    return EXIT_INTERRUPTED;
                }
                throw e;
            } finally {
                out.flush();
                env.err().flush();
            }
        } finally {
            call.cancel(null);
        }
    }

    private void print(PrintWriter out, WatchEventLine lines, WatchEventChannelsResponse response) {
        if (response.getDropped() != 0) {
            out.print(WatchEventLine.dropped(response.getDropped()));
        }
        for (EventChannelEvent event : response.getEventsList()) {
            out.print(lines.line(event));
        }
        if (response.hasSummary()) {
            out.print(RateSummaryTable.format(lines.timestamp(env.clock().instant()), response.getSummary()));
        }
        out.flush();
    }

    /** {@code -p}: a port number, 0 to 2^32 - 1. */
    static final class PortConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return Integer.parseUnsignedInt(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a port number");
            }
        }
    }

    /** {@code -k}: a kind's name. */
    static final class KindConverter implements CommandLine.ITypeConverter<EventChannelActivityKind> {
        @Override
        public EventChannelActivityKind convert(String value) {
            try {
                return ActivityKinds.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * {@code -s} takes the next argument as its interval only if it looks like one (a number with a unit), so
     * {@code -s 3} is the default interval for domain 3; {@code -s2s} and {@code --summary=2s} are attached.
     */
    static final class IntervalConsumer implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            Duration interval = SummaryInterval.DEFAULT;
            if (!args.isEmpty() && SummaryInterval.looksLikeOne(args.peek())) {
                String value = args.pop();
                try {
                    interval = SummaryInterval.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(commandSpec.commandLine(),
                            "Invalid value for option '--summary': " + e.getMessage(), argSpec, value);
                }
            }
            argSpec.setValue(interval);
        }
    }
}
