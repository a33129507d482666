package org.hvsim.domu.app;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hvsim.domu.blk.BlockRequest;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cmdline.CommandLineException;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.domu.mm.OutOfFramesException;
import org.hvsim.domu.virtioblk.DeviceUnavailableException;
import org.hvsim.domu.virtioblk.HostileAnswer;
import org.hvsim.domu.virtioblk.HostileCase;
import org.hvsim.domu.virtioblk.HostileFront;
import org.hvsim.domu.virtioblk.VbdBus;
import org.hvsim.domu.virtioblk.VirtioBlkFront;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.ShutdownReason;

/**
 * {@code blkhostile case=<case> [dev=xvda]}: a frontend that gives its virtio-blk backend one piece of bad input
 * ({@link HostileCase}: loop, long-chain, bad-ref, outside-grant, avail-jump, writable-header, ro-data, past-end,
 * ro-write), to show what the backend does with it. It connects to the disk with the normal handshake (waiting at
 * most {@value #CONNECT_TIMEOUT_S} s), queues the bad input ({@link HostileFront}), waits at most
 * {@value #ANSWER_TIMEOUT_S} s for the answer and prints it; then, unless the case breaks the ring, it makes one
 * good read and prints its status. It publishes
 * {@code {"app":"blkhostile","case":..,"dev":..,"answer":..,"expected":..,"used_len":..,"detail":..,"after":..}}
 * ({@link Kernel#publishResult}) and returns, so the domain powers off. A disk that does not connect, or
 * {@code ro-write} on a disk that is not read-only, is reported and the domain crashes, as for a bad command line.
 */
final class BlkHostileApp implements App {
    static final String CASE = "case";
    static final String DEV = "dev";
    static final Set<String> PARAMETERS = Set.of(CASE, DEV);
    static final long CONNECT_TIMEOUT_S = 30;
    static final long ANSWER_TIMEOUT_S = 10;

    private final HostileCase hostileCase;
    private final String device;

    BlkHostileApp(CommandLine cl) {
        String text = cl.param(CASE, "");
        this.hostileCase = HostileCase.parse(text).orElseThrow(() -> new CommandLineException(
                (text.isEmpty() ? CASE + "= is missing" : CASE + "=" + text + " is not a case") + ": one of "
                        + HostileCase.names()));
        this.device = cl.param(DEV, "xvda");
    }

    HostileCase hostileCase() {
        return hostileCase;
    }

    String device() {
        return device;
    }

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        Optional<VbdBus> bus = kernel.vbds();
        if (bus.isEmpty()) {
            fail(kernel, cpu, "this domain has no xenstore ring, so no block devices");
            return;
        }
        VirtioBlkFront dev;
        try {
            dev = bus.get().awaitConnected(cpu, device, CONNECT_TIMEOUT_S);
        } catch (DeviceUnavailableException e) {
            fail(kernel, cpu, e.getMessage());
            return;
        }
        if (hostileCase.needsReadOnlyDisk() && !dev.readOnly()) {
            fail(kernel, cpu, hostileCase.text() + " needs a read-only disk (access=ro); " + device + " is read-write");
            return;
        }
        GuestBuffer scratch;
        GuestBuffer good;
        try {
            scratch = buffer(kernel, cpu, HostileFront.SCRATCH_PAGES);
            good = buffer(kernel, cpu, 1);
        } catch (OutOfFramesException e) {
            fail(kernel, cpu, "not enough memory for its buffers: " + e.getMessage());
            return;
        }
        dev.prepare(cpu, scratch);
        dev.prepare(cpu, good);
        HostileFront hostile = new HostileFront(dev);
        String name = "blkhostile: " + hostileCase.text() + ": ";
        kernel.println(cpu, name + "on " + dev.name() + " (" + dev.capacityBytes() + " bytes"
                + (dev.readOnly() ? ", read-only" : "") + "); the spec's answer: " + hostileCase.expected().text());
        HostileAnswer answer = hostile.inject(cpu, hostileCase, scratch, deadline(cpu, ANSWER_TIMEOUT_S));
        kernel.println(cpu, name + "answered: " + answer.describe());
        String after;
        if (hostileCase.breaksRing()) {
            after = "skipped";
            kernel.println(cpu, name + "no request after it: the ring needs a device reset");
        } else {
            BlockRequest.Status s = hostile.goodRead(cpu, good, deadline(cpu, ANSWER_TIMEOUT_S));
            after = s == BlockRequest.Status.PENDING ? "none" : s.name();
            kernel.println(cpu, name + "a good read after it: " + (s == BlockRequest.Status.PENDING
                    ? "no answer" + dev.failure().map(f -> " (" + f + ")").orElse("") : s.name()));
        }
        kernel.publishResult(cpu, json(dev.name(), answer, after));
    }

    String json(String dev, HostileAnswer answer, String after) {
        return "{\"app\":\"blkhostile\",\"case\":\"" + hostileCase.text() + "\",\"dev\":\"" + escape(dev)
                + "\",\"answer\":\"" + answer.kind().text() + "\",\"expected\":\"" + hostileCase.expected().text()
                + "\",\"used_len\":" + answer.usedLen() + ",\"detail\":\"" + escape(answer.detail())
                + "\",\"after\":\"" + after + "\"}";
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static long deadline(PerCpu cpu, long seconds) {
        return cpu.now() + seconds * 1_000_000_000L;
    }

    private static GuestBuffer buffer(Kernel kernel, PerCpu cpu, int pages) {
        return GuestBuffer.allocate(cpu.memory(), pages * Page.SIZE,
                () -> kernel.frames().allocateZeroed(cpu.memory()));
    }

    private static void fail(Kernel kernel, PerCpu cpu, String why) {
        kernel.println(cpu, "blkhostile: " + why);
        kernel.shutdown(cpu, ShutdownReason.CRASH);
    }
}
