package org.hvsim.tools.xl;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.console.Terminal;

/**
 * Everything an xl command touches outside itself: its text writers, the raw standard streams (for the
 * console), the wall clock, the terminal, the user's Ctrl-C, and the host's control plane, connected on first
 * use and closed by {@link #close}. Commands that never call {@link #control} (help, create -n) never connect.
 *
 * <p>Threads: one xl invocation's main thread. The console's stdin pump reads {@link #in} on its own thread.
 */
public final class XlEnvironment implements AutoCloseable {
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputStream rawOut;
    private final InputStream in;
    private final ControlPlaneConnector connector;
    private final Clock clock;
    private final Terminal terminal;
    private final Interrupts interrupts;
    private ControlPlane control;

    /**
     * @param out text output (stdout)
     * @param err diagnostics (stderr)
     * @param rawOut the same stdout, for bytes (console output); {@code out} is flushed before it is used
     * @param in stdin, for console input
     * @param clock wall clock and time zone ({@code xl uptime})
     */
    public XlEnvironment(PrintWriter out, PrintWriter err, OutputStream rawOut, InputStream in,
            ControlPlaneConnector connector, Clock clock, Terminal terminal) {
        this(out, err, rawOut, in, connector, clock, terminal, new ShutdownHookInterrupts());
    }

    /** As above, with {@code interrupts} for the user's Ctrl-C ({@code xl evtchn-watch}). */
    public XlEnvironment(PrintWriter out, PrintWriter err, OutputStream rawOut, InputStream in,
            ControlPlaneConnector connector, Clock clock, Terminal terminal, Interrupts interrupts) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.rawOut = Objects.requireNonNull(rawOut, "rawOut");
        this.in = Objects.requireNonNull(in, "in");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public OutputStream rawOut() {
        return rawOut;
    }

    public InputStream in() {
        return in;
    }

    public Clock clock() {
        return clock;
    }

    public Terminal terminal() {
        return terminal;
    }

    public Interrupts interrupts() {
        return interrupts;
    }

    /** The host's control plane, connecting on the first call. */
    public ControlPlane control() throws HostNotRunningException {
        if (control == null) {
            control = connector.connect();
        }
        return control;
    }

    /** What the control plane connects to, for messages; null before {@link #control} succeeded. */
    String controlTarget() {
        return control == null ? null : control.target();
    }

    @Override
    public void close() {
        out.flush();
        err.flush();
        if (control != null) {
            control.close();
            control = null;
        }
    }
}
