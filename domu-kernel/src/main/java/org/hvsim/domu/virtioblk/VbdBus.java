package org.hvsim.domu.virtioblk;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.xenbus.XenbusClient;
import org.hvsim.domu.xenbus.XenbusException;
import org.hvsim.domu.xenbus.XenbusTransaction;
import org.hvsim.hv.abi.xenbus.XenbusState;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * The kernel's virtual block devices: watches {@code device/vbd} (relative: the domain's own), and for each
 * device directory that appears (at boot, or attached later) makes a {@link VirtioBlkFront} and starts its
 * handshake; a device whose directory is gone once it has closed is forgotten. Looks devices up by name.
 *
 * <p>Threads: the watch callback on the xenwatch worker; lookups from any vCPU (a copy-on-write list).
 */
public final class VbdBus {
    /** Where the toolstack puts the frontend directories. */
    public static final String VBD_DIR = "device/vbd";

    private final XenbusClient xs;
    private final BlkfrontPlatform platform;
    private final CopyOnWriteArrayList<VirtioBlkFront> devices = new CopyOnWriteArrayList<>();
    /** Device ids whose frontend keys were malformed: reported once, not probed again. */
    private final List<String> rejected = new ArrayList<>();
    /** vCPUs blocked in {@link #awaitDevice}, one bit each. */
    private final AtomicLong waiters = new AtomicLong();

    public VbdBus(XenbusClient xs, BlkfrontPlatform platform) {
        this.xs = xs;
        this.platform = platform;
    }

    /** Watches {@code device/vbd}; its first firing probes the devices there. */
    public void start(PerCpu cpu) {
        xs.watch(cpu, VBD_DIR, (c, path) -> changed(c));
    }

    /** Something below {@code device/vbd} changed: probe new devices, forget closed ones that are gone. */
    void changed(PerCpu cpu) {
        List<String> ids;
        try {
            ids = xs.directory(cpu, XenbusTransaction.NIL, VBD_DIR);
        } catch (XenbusException e) {
            if (e.error() != XsdError.ENOENT) {
                throw e;
            }
            ids = List.of();
        }
        for (VirtioBlkFront f : devices) {
            if (!ids.contains(f.devid()) && f.state() == XenbusState.CLOSED) {
                devices.remove(f);
            }
        }
        List<String> known = new ArrayList<>();
        devices.forEach(f -> known.add(f.devid()));
        for (String id : ids) {
            if (known.contains(id) || rejected.contains(id)) {
                continue;
            }
            VirtioBlkFront f;
            try {
                f = VirtioBlkFront.probe(cpu, xs, platform, id);
            } catch (XenbusException e) {
                if (e.error() == XsdError.ENOENT) {
                    continue;   // not written whole yet: a later firing probes it
                }
                throw e;
            } catch (IllegalArgumentException e) {
                rejected.add(id);
                platform.report(cpu, "blkfront: " + VBD_DIR + "/" + VirtioXenbusKeys.printable(id) + ": "
                        + e.getMessage());
                continue;
            }
            devices.add(f);
            wakeWaiters(cpu);
            f.start(cpu);
        }
    }

    /** The device {@code name} names (its {@code dev}, virtual-device number or device id), if probed. */
    public Optional<VirtioBlkFront> find(String name) {
        return devices.stream().filter(f -> f.isNamed(name)).findFirst();
    }

    /**
     * Waits (blocked) until a device {@code name} names has been probed or system time reaches {@code deadline}.
     */
    public Optional<VirtioBlkFront> awaitDevice(PerCpu cpu, String name, long deadline) {
        long bit = 1L << cpu.id();
        Optional<VirtioBlkFront> f;
        while ((f = find(name)).isEmpty() && cpu.now() < deadline) {
            waiters.getAndUpdate(b -> b | bit);
            try {
                platform.waitForEvent(cpu, () -> find(name).isPresent(), deadline);
            } finally {
                waiters.getAndUpdate(b -> b & ~bit);
            }
        }
        return f;
    }

    /**
     * The device {@code name} names, connected to its backend, waiting (blocked) up to {@code timeoutS} seconds
     * for it to be probed and to connect.
     *
     * @throws DeviceUnavailableException saying why not: no such device (naming those there are), the
     *     backend's refusal, or no answer in time
     */
    public VirtioBlkFront awaitConnected(PerCpu cpu, String name, long timeoutS) throws DeviceUnavailableException {
        long deadline = cpu.now() + timeoutS * 1_000_000_000L;
        Optional<VirtioBlkFront> dev = awaitDevice(cpu, name, deadline);
        if (dev.isEmpty()) {
            List<String> names = devices().stream().map(VirtioBlkFront::name).toList();
            throw new DeviceUnavailableException("no block device " + name + " (this domain has "
                    + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
        }
        if (!dev.get().awaitConnected(cpu, deadline)) {
            throw new DeviceUnavailableException(name + " did not connect: "
                    + dev.get().failure().orElse("no answer from its backend in " + timeoutS + " s"));
        }
        return dev.get();
    }

    private void wakeWaiters(PerCpu cpu) {
        long others = waiters.get() & ~(1L << cpu.id());
        while (others != 0) {
            int v = Long.numberOfTrailingZeros(others);
            others &= others - 1;
            platform.wake(cpu, v);
        }
    }

    /** The devices probed so far. */
    public List<VirtioBlkFront> devices() {
        return List.copyOf(devices);
    }
}
