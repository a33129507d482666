package org.hvsim.dom0.console;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hvsim.dom0.xen.EventChannelDevice;
import org.hvsim.dom0.xen.ForeignMapping;
import org.hvsim.hv.abi.ConsoleInterface;
import org.hvsim.hv.abi.GuestMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One domain's console (a xenconsoled "domain" entry): the mapped ring page, dom0's end of the event
 * channel, the log file and the live subscribers. The guest's indices are untrusted: a producer index
 * more than a ring ahead of the consumer is treated as an empty ring (the guest corrupted its own
 * console), never as a length. Threads: the upcall thread drains; gRPC threads subscribe and write
 * input; all under this object's monitor.
 */
final class ConsoleConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleConnection.class);
    /** Bytes of recent output kept to show a client that attaches later (a pty's buffer plays this part in Xen). */
    static final int HISTORY = 16 * 1024;
    /** A log file larger than this is rotated to .1 (one generation kept). */
    static final long MAX_LOG_BYTES = 32L << 20;

    private final int domid;
    private final ForeignMapping ring;
    private final int localPort;
    private final EventChannelDevice events;
    private final ConsoleRateLimit rate;
    private final List<ConsoleSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final byte[] history = new byte[HISTORY];
    private long historyLength;
    private Path logFile;
    private OutputStream log;
    private long logBytes;
    private boolean closed;

    ConsoleConnection(int domid, ForeignMapping ring, int localPort, EventChannelDevice events, Path logFile,
            ConsoleRateLimit rate) throws IOException {
        this.domid = domid;
        this.ring = ring;
        this.localPort = localPort;
        this.events = events;
        this.rate = rate;
        openLog(logFile);
    }

    private void openLog(Path file) throws IOException {
        this.logFile = file;
        Files.createDirectories(file.getParent());
        this.log = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.logBytes = Files.size(file);
    }

    int domid() {
        return domid;
    }

    int localPort() {
        return localPort;
    }

    ForeignMapping ring() {
        return ring;
    }

    /** The guest's output since the last drain (called on the console port's event and on timers). */
    synchronized void drain() {
        if (closed) {
            return;
        }
        GuestMemory m = ring.memory();
        int cons = m.getIntAcquire(ConsoleInterface.OUT_CONS);
        int prod = m.getIntAcquire(ConsoleInterface.OUT_PROD);
        int available = prod - cons;
        if (available <= 0 || available > ConsoleInterface.OUT_SIZE) {
            return;
        }
        int n = rate.take(available);
        if (n == 0) {
            return;
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = m.getByte(ConsoleInterface.OUT + ConsoleInterface.maskIndex(cons + i, ConsoleInterface.OUT_SIZE));
        }
        m.putIntRelease(ConsoleInterface.OUT_CONS, cons + n);
        events.notify(localPort);
        deliver(out);
    }

    /** Whether unread output remains in the ring (the rate limit held some back). */
    synchronized boolean backlog() {
        GuestMemory m = ring.memory();
        int pending = m.getIntAcquire(ConsoleInterface.OUT_PROD) - m.getIntAcquire(ConsoleInterface.OUT_CONS);
        return !closed && pending > 0 && pending <= ConsoleInterface.OUT_SIZE;
    }

    private void deliver(byte[] out) {
        for (byte b : out) {
            history[(int) (historyLength++ % HISTORY)] = b;
        }
        try {
            if (logBytes + out.length > MAX_LOG_BYTES) {
                rotate();
            }
            log.write(out);
            log.flush();
            logBytes += out.length;
        } catch (IOException e) {
            LOG.warn("d{}: cannot write console log {}: {}", domid, logFile, e.getMessage());
        }
        for (ConsoleSubscriber s : subscribers) {
            s.output(out);
        }
    }

    private void rotate() throws IOException {
        log.close();
        Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        openLog(logFile);
    }

    /** Keyboard input for the guest: as much as fits in the {@code in} ring; returns bytes taken. */
    synchronized int input(byte[] bytes) {
        if (closed) {
            return 0;
        }
        GuestMemory m = ring.memory();
        int cons = m.getIntAcquire(ConsoleInterface.IN_CONS);
        int prod = m.getIntAcquire(ConsoleInterface.IN_PROD);
        int used = prod - cons;
        if (used < 0 || used > ConsoleInterface.IN_SIZE) {
            used = ConsoleInterface.IN_SIZE;
        }
        int n = Math.min(bytes.length, ConsoleInterface.IN_SIZE - used);
        for (int i = 0; i < n; i++) {
            m.putByte(ConsoleInterface.IN + ConsoleInterface.maskIndex(prod + i, ConsoleInterface.IN_SIZE), bytes[i]);
        }
        if (n > 0) {
            m.putIntRelease(ConsoleInterface.IN_PROD, prod + n);
            events.notify(localPort);
        }
        return n;
    }

    /** Adds a live client; it first gets the recent history. */
    synchronized void subscribe(ConsoleSubscriber s) {
        if (closed) {
            s.ended();
            return;
        }
        int n = (int) Math.min(historyLength, HISTORY);
        if (n > 0) {
            byte[] recent = new byte[n];
            for (int i = 0; i < n; i++) {
                recent[i] = history[(int) ((historyLength - n + i) % HISTORY)];
            }
            s.output(recent);
        }
        subscribers.add(s);
    }

    void unsubscribe(ConsoleSubscriber s) {
        subscribers.remove(s);
    }

    /** The log file follows the domain's new name (xl rename). */
    synchronized void renameLog(Path file) {
        try {
            log.close();
            if (Files.exists(logFile) && !Files.exists(file)) {
                Files.move(logFile, file);
            }
            openLog(file);
        } catch (IOException e) {
            LOG.warn("d{}: cannot move console log to {}: {}", domid, file, e.getMessage());
        }
    }

    /** Drains what is left, ends every stream, closes the log (the ring and the port are the caller's). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        drain();
        closed = true;
        for (ConsoleSubscriber s : subscribers) {
            s.ended();
        }
        subscribers.clear();
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("d{}: cannot close console log: {}", domid, e.getMessage());
        }
    }
}
