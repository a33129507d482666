package org.hvsim.domu.control;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.xenbus.XenbusClient;
import org.hvsim.domu.xenbus.XenbusException;
import org.hvsim.domu.xenbus.XenbusTransaction;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * Watches {@code control/shutdown} (relative: the domain's own {@code ~/control/shutdown}) and acts on what the
 * toolstack writes there, as Linux's {@code shutdown_handler} does: in a transaction it reads the request and,
 * if it is one the kernel handles ({@link ShutdownRequest}), acknowledges it by writing {@code ""}; a commit
 * that fails with {@code EAGAIN} starts over. Then it shuts the domain down with the request's reason. An
 * empty value (the watch's first firing, or the acknowledgement itself) is nothing to do; a value the kernel
 * does not handle is reported and left as it is. Once a shutdown has begun, later requests are ignored.
 *
 * <p>{@link #start} also publishes {@code control/feature-poweroff} and {@code control/feature-reboot}
 * (Linux's {@code setup_shutdown_watcher}), and publishes them again after every reconnection to a new
 * xenstored (a restarted dom0 starts with an empty store; the client registers the watch again itself, and
 * its first firing reads an absent or empty node, which is nothing to do).
 *
 * <p>Threads: {@link #start} on the booting vCPU; the callback on the xenwatch worker (any vCPU, one at a time).
 */
public final class ShutdownWatcher {
    /** The node the toolstack writes requests to. */
    public static final String CONTROL_SHUTDOWN = "control/shutdown";

    private final XenbusClient xenbus;
    private final ShutdownActions actions;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    public ShutdownWatcher(XenbusClient xenbus, ShutdownActions actions) {
        this.xenbus = xenbus;
        this.actions = actions;
    }

    /**
     * Registers the watch and publishes the features. A feature that cannot be written is reported and the
     * rest carries on, as in Linux; a watch that cannot be registered throws.
     */
    public void start(PerCpu cpu) {
        xenbus.watch(cpu, CONTROL_SHUTDOWN, this::changed);
        publishFeatures(cpu);
        xenbus.whenReconnected(this::publishFeatures);
    }

    private void publishFeatures(PerCpu cpu) {
        for (ShutdownRequest r : ShutdownRequest.values()) {
            if (!r.advertised()) {
                continue;
            }
            String node = "control/feature-" + r.command();
            try {
                xenbus.write(cpu, XenbusTransaction.NIL, node, "1");
            } catch (XenbusException e) {
                actions.report(cpu, "minios: cannot publish " + node + ": " + e.error());
            }
        }
    }

    /** The watch fired: read, acknowledge and act. Runs on the xenwatch worker. */
    void changed(PerCpu cpu, String path) {
        if (shuttingDown.get()) {
            return;
        }
        String value = xenbus.transaction(cpu, t -> {
            String v = readOrEmpty(cpu, t);
            if (ShutdownRequest.of(v).isPresent()) {
                xenbus.write(cpu, t, CONTROL_SHUTDOWN, "");
            }
            return v;
        });
        Optional<ShutdownRequest> request = ShutdownRequest.of(value);
        if (request.isEmpty()) {
            if (!value.isEmpty()) {
                actions.report(cpu, "minios: ignoring shutdown request: " + value);
            }
            return;
        }
        if (!shuttingDown.compareAndSet(false, true)) {
            return;
        }
        actions.report(cpu, "minios: shutting down (" + request.get().command() + ")");
        actions.shutdown(cpu, request.get().reason());
    }

    /** Whether a shutdown request has been acted on. */
    public boolean shuttingDown() {
        return shuttingDown.get();
    }

    /**
     * The request, or "" when the node is gone ({@code ENOENT}). Linux ignores every read error here; other
     * errors end this attempt (the transaction is discarded) and the xenwatch worker reports them.
     */
    private String readOrEmpty(PerCpu cpu, XenbusTransaction t) {
        try {
            return xenbus.read(cpu, t, CONTROL_SHUTDOWN);
        } catch (XenbusException e) {
            if (e.error() == XsdError.ENOENT) {
                return "";
            }
            throw e;
        }
    }
}
