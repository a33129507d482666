package org.hvsim.tools.lsevtchn;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.hvsim.proto.control.EventChannel;
import org.hvsim.proto.control.ListEventChannelsRequest;
import org.hvsim.proto.control.ListEventChannelsResponse;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.evtchn.StatusDetails;
import org.hvsim.tools.evtchn.XenStatusLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lsevtchn [-v] [domain]}: every open port of a domain (default 0, as in Xen), one line each as Xen's
 * lsevtchn prints it; {@code -v} appends what Xen's tool cannot show ({@link StatusDetails}). An unknown
 * domain or a host that does not answer is one line on stderr and exit 1; Xen's lsevtchn would print
 * nothing and exit 0.
 */
@Command(name = "lsevtchn",
        description = "List a domain's open event channels, as Xen's lsevtchn.",
        customSynopsis = "lsevtchn [-v] [domain]")
public final class LsevtchnCommand implements Callable<Integer> {
    static final String PROGRAM = "lsevtchn";

    @Option(names = {"-v", "--verbose"}, description = "After Xen's text, add the pending and masked bits, "
            + "xen-attached, the counters (sends, edges, upcalls, masked-drops, coalesced) and the label.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help.")
    boolean helpRequested;

    @Parameters(index = "0", arity = "0..1", paramLabel = "domain", defaultValue = "0",
            description = "Domain id or name (default 0).")
    String domain;

    private final PrintWriter out;
    private final PrintWriter err;
    private final ControlPlaneConnector connector;

    public LsevtchnCommand(PrintWriter out, PrintWriter err, ControlPlaneConnector connector) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    @Override
    public Integer call() {
        try (ControlPlane control = connector.connect()) {
            ListEventChannelsResponse response;
            try {
                response = control.eventChannels()
                        .listEventChannels(ListEventChannelsRequest.newBuilder().setDomain(domain).build());
            } catch (StatusRuntimeException e) {
                return fail(describe(e, control.target()));
            }
            for (EventChannel port : response.getPortsList()) {
                if (XenStatusLine.shown(port)) {
                    out.print(line(port));
                }
            }
            return 0;
        } catch (HostNotRunningException e) {
            return fail(e.getMessage());
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Xen's line for {@code port}, then (with -v) the additions; with its newline. */
    private String line(EventChannel port) {
        String xen = XenStatusLine.text(port);
        return (verbose ? xen + StatusDetails.SEPARATOR + StatusDetails.text(port) : xen) + "\n";
    }

    /** One line for a refused call: dom0's message for an unknown domain, xl's for a host that does not answer. */
    private String describe(StatusRuntimeException e, String target) {
        Status status = e.getStatus();
        return switch (status.getCode()) {
            case NOT_FOUND -> status.getDescription() != null ? status.getDescription()
                    : "Domain '" + domain + "' does not exist.";
            case UNAVAILABLE -> HostNotRunningException.unreachable(target, reason(status)).getMessage();
            default -> "dom0 refused the request: " + status.getCode()
                    + (status.getDescription() != null ? " (" + status.getDescription() + ")" : "");
        };
    }

    private static String reason(Status status) {
        if (status.getDescription() != null) {
            return status.getDescription();
        }
        return status.getCause() != null ? String.valueOf(status.getCause().getMessage()) : status.getCode().name();
    }

    private int fail(String message) {
        out.flush();
        err.print(PROGRAM + ": " + message + "\n");
        return 1;
    }
}
