package org.hvsim.dom0.console;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hvsim.dom0.xen.Dom0Platform;
import org.hvsim.dom0.xen.ForeignMapping;


/**
 * xenconsoled: for each domain, dom0's end of its console event channel and a mapping of its console
 * ring; output goes to {@code <logDir>/guest-<name>.log} and to live clients, input from clients goes
 * to the guest. A domain throttled by the rate limit is drained again a little later. Thread-safe.
 */
public final class Xenconsoled implements AutoCloseable {
    static final long RETRY_MS = 20;

    private final Dom0Platform platform;
    private final Path logDir;
    private final Map<Integer, ConsoleConnection> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("xenconsoled-retry").daemon().factory());

    public Xenconsoled(Dom0Platform platform, Path logDir) {
        this.platform = platform;
        this.logDir = logDir;
    }

    public static Path logFile(Path logDir, String name) {
        return logDir.resolve("guest-" + name + ".log");
    }

    /**
     * Connects to domain {@code domid}'s console ring (frame {@code mfn}, guest port {@code guestPort}):
     * binds dom0's end of the channel and maps the page. Returns the page-table frame of the mapping.
     */
    public long attach(int domid, String name, long mfn, int guestPort) throws IOException {
        if (closed) {
            throw new IOException("xenconsoled is shutting down");
        }
        ForeignMapping ring = platform.foreign().map(domid, new long[] {mfn}, 0);
        int local;
        try {
            local = platform.events().bindInterdomain(domid, guestPort, "console", port -> onEvent(domid));
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
        ConsoleConnection c = new ConsoleConnection(domid, ring, local, platform.events(), logFile(logDir, name),
                new ConsoleRateLimit(System::nanoTime));
        connections.put(domid, c);
        onEvent(domid);
        return ring.ptFrame();
    }

    private void onEvent(int domid) {
        ConsoleConnection c = connections.get(domid);
        if (c == null) {
            return;
        }
        c.drain();
        if (c.backlog()) {
            retry.schedule(() -> onEvent(domid), RETRY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Disconnects: drains, ends live streams, closes dom0's end of the channel and unmaps the ring. */
    public void detach(int domid) {
        ConsoleConnection c = connections.remove(domid);
        if (c == null) {
            return;
        }
        c.close();
        try {
            platform.events().close(c.localPort());
        } catch (RuntimeException e) {
            // The domain is already gone: its end was closed by the hypervisor.
        }
        c.ring().close();
    }

    public boolean isAttached(int domid) {
        return connections.containsKey(domid);
    }

    /** Adds a live client of {@code domid}'s console; returns false if there is no such console. */
    public boolean subscribe(int domid, ConsoleSubscriber s) {
        ConsoleConnection c = connections.get(domid);
        if (c == null) {
            return false;
        }
        c.subscribe(s);
        return true;
    }

    public void unsubscribe(int domid, ConsoleSubscriber s) {
        ConsoleConnection c = connections.get(domid);
        if (c != null) {
            c.unsubscribe(s);
        }
    }

    /** Keyboard input for {@code domid}; returns the bytes the ring took. */
    public int input(int domid, byte[] bytes) {
        ConsoleConnection c = connections.get(domid);
        return c == null ? 0 : c.input(bytes);
    }

    public void rename(int domid, String newName) {
        ConsoleConnection c = connections.get(domid);
        if (c != null) {
            c.renameLog(logFile(logDir, newName));
        }
    }

    public Path logDir() {
        return logDir;
    }

    /** Detaches every console: streams end, ports close, mappings go (so no domain's memory is held). */
    @Override
    public void close() {
        closed = true;
        retry.shutdownNow();
        for (Integer domid : connections.keySet()) {
            detach(domid);
        }
    }

}
