package org.hvsim.domu.console;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.event.EventChannels;

/**
 * The PV console frontend (Linux's {@code hvc_xen}, Mini-OS's {@code xencons_ring.c}) over the ring page
 * and event channel start_info names. xenconsoled in dom0 is the backend: it drains {@code out}, fills
 * {@code in}, and notifies the port after either.
 *
 * <p>Output ({@link #write}) is never dropped: whatever fits in the free space of {@code out} is
 * published and the port notified; while the ring is full the writer waits for dom0 to drain it with
 * {@code SCHEDOP_poll} on the console port and a {@value #DRAIN_WAIT_MS} ms timeout, then re-checks.
 * If the port is already pending when the writer would poll (its event belongs to the vCPU the port
 * notifies, which has not taken it yet), polling on it would return at once, so the writer waits for
 * the timeout alone: it blocks either way and never spins.
 *
 * <p>Input is read off {@code in} when the console port fires ({@link #onEvent}, in the upcall) into a
 * bounded kernel buffer, and handed out by {@link #read}. When the buffer is full the rest stays in the
 * ring, so dom0 sees the ring fill up rather than input being lost; {@link #read} takes it later.
 *
 * <p>Threads: any vCPU. Writers are serialised by the output lock, which is held across hypercalls and
 * so is never taken by event handlers ({@link #write} refuses to run in one). The input lock guards the
 * input side and the kernel buffer; it is never held across a hypercall, so an upcall cannot interrupt
 * its own vCPU while that vCPU holds it.
 */
public final class ConsoleDriver {
    static final int DRAIN_WAIT_MS = 10;
    /** How long a writer waits for dom0 to drain a full ring before it looks again. */
    public static final long DRAIN_WAIT_NS = DRAIN_WAIT_MS * 1_000_000L;
    /** Console input the kernel buffers off the ring. */
    static final int INPUT_CAPACITY = 4096;
    private static final int[] NO_PORTS = {};

    private final ConsoleRing ring;
    private final int port;
    private final EventChannels channels;
    private final ReentrantLock output = new ReentrantLock();
    private final ReentrantLock input = new ReentrantLock();
    private final ByteFifo buffered = new ByteFifo(INPUT_CAPACITY);
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong drainWaits = new AtomicLong();

    private ConsoleDriver(ConsoleRing ring, int port, EventChannels channels) {
        this.ring = ring;
        this.port = port;
        this.channels = channels;
    }

    /** Attaches to the ring at {@code ringAddress} and binds the console port's handler on {@code cpu}. */
    public static ConsoleDriver attach(PerCpu cpu, EventChannels channels, long ringAddress, int port) {
        ConsoleDriver d = new ConsoleDriver(new ConsoleRing(cpu.memory(), ringAddress), port, channels);
        channels.bind(cpu, port, d::onEvent);
        return d;
    }

    /** The console's event channel port. */
    public int port() {
        return port;
    }

    /** Writes {@code text} in UTF-8. */
    public void print(PerCpu cpu, String text) {
        write(cpu, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes all of {@code data} to the console, waiting for dom0 to drain a full ring. Task code only. */
    public void write(PerCpu cpu, byte[] data) {
        cpu.requireTaskLevel("console output");
        output.lock();
        try {
            int off = 0;
            while (off < data.length) {
                int n = ring.write(cpu.memory(), data, off, data.length - off);
                if (n > 0) {
                    off += n;
                    bytesWritten.addAndGet(n);
                    channels.send(cpu, port);
                } else {
                    awaitDrain(cpu);
                }
            }
        } finally {
            output.unlock();
        }
    }

    private void awaitDrain(PerCpu cpu) {
        drainWaits.incrementAndGet();
        long deadline = cpu.now() + DRAIN_WAIT_NS;
        int[] ports = channels.isPending(cpu, port) ? NO_PORTS : new int[] {port};
        if (cpu.hypercalls().poll(ports, deadline) < 0 && ports.length > 0) {
            cpu.hypercalls().poll(NO_PORTS, deadline);
        }
    }

    /**
     * Moves up to {@code len} bytes of console input into {@code dst[off..]} without waiting; returns how
     * many (0 when there is none). Task code.
     */
    public int read(PerCpu cpu, byte[] dst, int off, int len) {
        int n;
        int moved;
        input.lock();
        try {
            moved = fill(cpu);
            n = buffered.take(dst, off, len);
            if (n > 0) {
                moved += fill(cpu);
            }
        } finally {
            input.unlock();
        }
        bytesRead.addAndGet(n);
        if (moved > 0) {
            channels.send(cpu, port);
        }
        return n;
    }

    /** The console port fired: dom0 drained output or wrote input. Runs in the upcall. */
    private void onEvent(PerCpu cpu, int firedPort) {
        int moved;
        input.lock();
        try {
            moved = fill(cpu);
        } finally {
            input.unlock();
        }
        if (moved > 0) {
            channels.send(cpu, port);
        }
    }

    /** Under the input lock: moves ring input into the buffer, as much as it has room for. */
    private int fill(PerCpu cpu) {
        if (buffered.free() == 0) {
            return 0;
        }
        byte[] chunk = new byte[buffered.free()];
        int n = ring.read(cpu.memory(), chunk, 0, chunk.length);
        buffered.put(chunk, 0, n);
        return n;
    }

    /** Bytes written to the console so far. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Bytes of input handed to readers so far. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** How many times a writer found the ring full and waited for dom0. */
    public long drainWaits() {
        return drainWaits.get();
    }

    /** Ring indices from dom0 that were not believed. */
    public long protocolErrors() {
        return ring.protocolErrors();
    }
}
