package org.hvsim.domu.virtioblk;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.hvsim.domu.blk.BlockDevice;
import org.hvsim.domu.blk.BlockRequest;
import org.hvsim.domu.blk.GuestBuffer;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.xenbus.XenbusClient;
import org.hvsim.domu.xenbus.XenbusException;
import org.hvsim.domu.xenbus.XenbusTransaction;
import org.hvsim.hv.abi.xenbus.XenbusState;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.virtio.DeviceStatus;
import org.hvsim.virtio.VirtioFeature;
import org.hvsim.virtio.blk.VirtioBlkConfig;
import org.hvsim.virtio.blk.VirtioBlkFeature;

/**
 * One virtio-blk device on the xenbus transport, the frontend half of the contract: it watches the backend's
 * {@code state} and {@code virtio-device-status}; on InitWait it reads the offered features, the config and the
 * queue's maximum size, negotiates, sets up the queue ({@link VirtioBlkQueue}), writes the frontend keys in a
 * transaction and goes Initialised; on Connected it goes Connected and takes I/O. When the backend goes Closing
 * (a detach, or its refusal of the frontend's keys, with {@code virtio-error}) it fails the requests in flight
 * with IOERR and goes Closing; once the backend is Closed it ends its grants and goes Closed. A backend that
 * sets DEVICE_NEEDS_RESET in {@code virtio-device-status} has stopped serving the queue: the requests in flight
 * fail and the error is reported. A frontend that cannot use what the backend offers reports why and goes
 * Closing.
 *
 * <p>Threads: the watch callbacks on the xenwatch worker (one at a time); the {@link BlockDevice} methods on the
 * vCPU driving the device; state in volatile fields, the queue thread-safe.
 */
public final class VirtioBlkFront implements BlockDevice {
    /** What the frontend accepts when offered. */
    static final long WANTED = VirtioFeature.mask(VirtioFeature.VERSION_1)
            | VirtioFeature.mask(VirtioFeature.ACCESS_PLATFORM) | VirtioFeature.mask(VirtioFeature.EVENT_IDX)
            | VirtioFeature.mask(VirtioFeature.INDIRECT_DESC) | VirtioFeature.mask(VirtioBlkFeature.SEG_MAX)
            | VirtioFeature.mask(VirtioBlkFeature.BLK_SIZE) | VirtioFeature.mask(VirtioBlkFeature.RO)
            | VirtioFeature.mask(VirtioBlkFeature.FLUSH) | VirtioFeature.mask(VirtioBlkFeature.DISCARD)
            | VirtioFeature.mask(VirtioBlkFeature.WRITE_ZEROES);

    private final XenbusClient xs;
    private final BlkfrontPlatform platform;
    private final String devid;
    private final String dir;
    private final String backend;
    private final int backendId;
    private final String virtualDevice;
    private final String name;
    private volatile XenbusState state = XenbusState.INITIALISING;
    private volatile VirtioBlkQueue queue;
    private volatile VirtioBlkConfig config;
    private volatile long offered;
    private volatile long negotiated;
    private volatile boolean connected;
    private volatile String failure;
    private volatile boolean needsReset;
    /** Characters of the backend's {@code virtio-error} kept for {@link #needsReset} (dom0 writes at most 200). */
    static final int RESET_REASON_MAX = 200;
    /** The backend's {@code virtio-error} (printable) once it set DEVICE_NEEDS_RESET. */
    private volatile String resetReason;
    /** vCPUs blocked in {@link #awaitConnected}, one bit each. */
    private final AtomicLong connectWaiters = new AtomicLong();

    private VirtioBlkFront(XenbusClient xs, BlkfrontPlatform platform, String devid, String backend, int backendId,
            String virtualDevice, String name) {
        this.xs = xs;
        this.platform = platform;
        this.devid = devid;
        this.dir = VbdBus.VBD_DIR + "/" + devid;
        this.backend = backend;
        this.backendId = backendId;
        this.virtualDevice = virtualDevice;
        this.name = name;
    }

    /**
     * Reads device {@code devid}'s frontend keys ({@code backend}, {@code backend-id}, {@code virtual-device}) and
     * the backend's {@code dev} (its name; the device number's string when it has none).
     *
     * @throws XenbusException if a frontend key cannot be read
     * @throws IllegalArgumentException if one is malformed
     */
    static VirtioBlkFront probe(PerCpu cpu, XenbusClient xs, BlkfrontPlatform platform, String devid) {
        String dir = VbdBus.VBD_DIR + "/" + devid;
        String backend = xs.read(cpu, XenbusTransaction.NIL, dir + "/" + VirtioXenbusKeys.BACKEND);
        if (!backend.startsWith("/") || backend.length() > 256) {
            throw new IllegalArgumentException("backend " + VirtioXenbusKeys.printable(backend));
        }
        int backendId = (int) VirtioXenbusKeys.parseDecimal(
                xs.read(cpu, XenbusTransaction.NIL, dir + "/" + VirtioXenbusKeys.BACKEND_ID), 0, 0x7fef);
        String vdev = readOptional(cpu, xs, dir + "/" + VirtioXenbusKeys.VIRTUAL_DEVICE).orElse(devid);
        String name = readOptional(cpu, xs, backend + "/" + VirtioXenbusKeys.DEV).filter(VirtioBlkFront::plainName)
                .orElse(vdev);
        return new VirtioBlkFront(xs, platform, devid, backend, backendId, vdev, name);
    }

    private static boolean plainName(String s) {
        return !s.isEmpty() && s.length() <= 32 && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/');
    }

    /** Watches the backend's state and virtio device status; their first firings start the handshake. */
    void start(PerCpu cpu) {
        xs.watch(cpu, backend + "/" + VirtioXenbusKeys.STATE, (c, path) -> backendChanged(c));
        xs.watch(cpu, backend + "/" + VirtioXenbusKeys.DEVICE_STATUS, (c, path) -> backendChanged(c));
    }

    /** A watch fired: act on the backend's state and device status. Runs on the xenwatch worker. */
    void backendChanged(PerCpu cpu) {
        XenbusState be = readOptional(cpu, xs, backend + "/" + VirtioXenbusKeys.STATE).map(XenbusState::parse)
                .orElse(XenbusState.UNKNOWN);
        checkDeviceStatus(cpu);
        switch (be) {
            case INIT_WAIT -> {
                if (state == XenbusState.INITIALISING) {
                    initialise(cpu);
                }
            }
            case CONNECTED -> {
                if (state == XenbusState.INITIALISED) {
                    connect(cpu);
                }
            }
            case CLOSING -> closing(cpu, "backend closing");
            case CLOSED -> {
                closing(cpu, "backend closed");
                closed(cpu);
            }
            case UNKNOWN -> {
                if (state != XenbusState.INITIALISING) {
                    closing(cpu, "backend gone");
                    closed(cpu);
                }
            }
            default -> { }
        }
    }

    private void checkDeviceStatus(PerCpu cpu) {
        VirtioBlkQueue q = queue;
        if (q == null || needsReset) {
            return;
        }
        Optional<String> text = readOptional(cpu, xs, backend + "/" + VirtioXenbusKeys.DEVICE_STATUS);
        if (text.isEmpty()) {
            return;
        }
        long status;
        try {
            status = VirtioXenbusKeys.parseDecimal(text.get(), 0, 255);
        } catch (IllegalArgumentException e) {
            report(cpu, "bad " + VirtioXenbusKeys.DEVICE_STATUS + ": " + e.getMessage());
            return;
        }
        if ((status & DeviceStatus.DEVICE_NEEDS_RESET) == 0) {
            return;
        }
        needsReset = true;
        Optional<String> error = readOptional(cpu, xs, backend + "/" + VirtioXenbusKeys.ERROR);
        String why = error.map(VirtioXenbusKeys::printable).orElse("no " + VirtioXenbusKeys.ERROR);
        resetReason = error.map(e -> VirtioXenbusKeys.printable(e, RESET_REASON_MAX)).orElse(why);
        connected = false;
        failure = "device needs reset: " + why;
        int failedNow = q.failAll(cpu, "device needs reset: " + why);
        report(cpu, "device needs reset (virtio-device-status " + status + "): " + why + "; " + failedNow
                + " request" + (failedNow == 1 ? "" : "s") + " in flight failed");
    }

    /** The backend is in InitWait: read its offer, set the queue up, publish the frontend's keys, Initialised. */
    private void initialise(PerCpu cpu) {
        long features;
        VirtioBlkConfig c;
        int maxSize;
        try {
            long id = VirtioXenbusKeys.parseDecimal(backendKey(cpu, VirtioXenbusKeys.DEVICE_ID), 0, 0xffff);
            if (id != VirtioXenbusKeys.VIRTIO_ID_BLOCK) {
                refuse(cpu, VirtioXenbusKeys.DEVICE_ID + " " + id + " is not virtio-blk (2)");
                return;
            }
            features = VirtioXenbusKeys.parseHexU64(backendKey(cpu, VirtioXenbusKeys.DEVICE_FEATURES));
            byte[] raw = VirtioXenbusKeys.parseHexBytes(backendKey(cpu, VirtioXenbusKeys.CONFIG));
            if (raw.length < VirtioBlkConfig.SIZE) {
                refuse(cpu, VirtioXenbusKeys.CONFIG + " of " + raw.length + " bytes, not " + VirtioBlkConfig.SIZE);
                return;
            }
            c = VirtioBlkConfig.decode(raw);
            maxSize = (int) VirtioXenbusKeys.parseDecimal(backendKey(cpu, VirtioXenbusKeys.QUEUE_MAX_SIZE), 1, 32768);
        } catch (IllegalArgumentException e) {
            refuse(cpu, e.getMessage());
            return;
        }
        for (int bit : new int[] {VirtioFeature.VERSION_1, VirtioFeature.ACCESS_PLATFORM}) {
            if (!VirtioFeature.has(features, bit)) {
                refuse(cpu, "backend does not offer " + VirtioFeature.name(bit));
                return;
            }
        }
        long accepted = features & WANTED;
        int size = Integer.highestOneBit(Math.min(maxSize, VirtioBlkQueue.MAX_QUEUE_SIZE));
        int segMax = VirtioFeature.has(accepted, VirtioBlkFeature.SEG_MAX) ? (int) Math.min(Integer.MAX_VALUE,
                Integer.toUnsignedLong(c.segMax())) : 0;
        VirtioBlkQueue q = VirtioBlkQueue.create(platform, cpu, backendId, size, accepted, segMax);
        offered = features;
        negotiated = accepted;
        config = c;
        queue = q;
        xs.transaction(cpu, t -> {
            write(cpu, t, VirtioXenbusKeys.DRIVER_FEATURES, VirtioXenbusKeys.hexU64(accepted));
            write(cpu, t, VirtioXenbusKeys.QUEUE_SIZE, Integer.toString(size));
            write(cpu, t, VirtioXenbusKeys.DESC_REF, Integer.toUnsignedString(q.descRef()));
            write(cpu, t, VirtioXenbusKeys.AVAIL_REF, Integer.toUnsignedString(q.availRef()));
            write(cpu, t, VirtioXenbusKeys.USED_REF, Integer.toUnsignedString(q.usedRef()));
            write(cpu, t, VirtioXenbusKeys.EVENT_CHANNEL, Integer.toString(q.port()));
            return null;
        });
        switchState(cpu, XenbusState.INITIALISED);
    }

    private void connect(PerCpu cpu) {
        switchState(cpu, XenbusState.CONNECTED);
        connected = true;
        wakeWaiters(cpu);
        VirtioBlkConfig c = config;
        report(cpu, "virtio-blk, " + c.capacity() + " sectors (" + capacityBytes() / (1024 * 1024) + " MiB), "
                + (readOnly() ? "read-only" : "read-write") + ", queue " + queue.size() + ", features 0x"
                + Long.toHexString(negotiated) + ", port " + queue.port());
    }

    /** The frontend cannot use the backend's offer: report it and close. */
    private void refuse(PerCpu cpu, String why) {
        failure = why;
        wakeWaiters(cpu);
        report(cpu, "cannot use the backend: " + why);
        switchState(cpu, XenbusState.CLOSING);
    }

    private void closing(PerCpu cpu, String why) {
        if (state == XenbusState.CLOSING || state == XenbusState.CLOSED) {
            return;
        }
        boolean wasConnected = connected;
        connected = false;
        Optional<String> error = readOptional(cpu, xs, backend + "/" + VirtioXenbusKeys.ERROR);
        if (failure == null) {
            failure = error.map(e -> "backend refused: " + VirtioXenbusKeys.printable(e)).orElse(why);
        }
        VirtioBlkQueue q = queue;
        int failedNow = q == null ? 0 : q.failAll(cpu, why);
        wakeWaiters(cpu);
        report(cpu, why + (error.isPresent() ? " (" + VirtioXenbusKeys.ERROR + " "
                + VirtioXenbusKeys.printable(error.get()) + ")" : "")
                + (wasConnected || failedNow > 0 ? "; " + failedNow + " request" + (failedNow == 1 ? "" : "s")
                + " in flight failed" : ""));
        switchState(cpu, XenbusState.CLOSING);
    }

    private void closed(PerCpu cpu) {
        if (state == XenbusState.CLOSED) {
            return;
        }
        VirtioBlkQueue q = queue;
        if (q != null) {
            int stuck = q.release(cpu);
            if (stuck > 0) {
                report(cpu, stuck + " grant" + (stuck == 1 ? "" : "s") + " still mapped by the backend; not freed");
            }
        }
        switchState(cpu, XenbusState.CLOSED);
        report(cpu, "closed");
    }

    private void switchState(PerCpu cpu, XenbusState s) {
        state = s;
        try {
            xs.write(cpu, XenbusTransaction.NIL, dir + "/" + VirtioXenbusKeys.STATE, Integer.toString(s.number()));
        } catch (XenbusException e) {
            report(cpu, "cannot write " + dir + "/state = " + s.number() + ": " + e.error());
        }
    }

    private void write(PerCpu cpu, XenbusTransaction t, String key, String value) {
        xs.write(cpu, t, dir + "/" + key, value);
    }

    private String backendKey(PerCpu cpu, String key) {
        return readOptional(cpu, xs, backend + "/" + key)
                .orElseThrow(() -> new IllegalArgumentException("backend has no " + key));
    }

    private static Optional<String> readOptional(PerCpu cpu, XenbusClient xs, String path) {
        try {
            return Optional.of(xs.read(cpu, XenbusTransaction.NIL, path));
        } catch (XenbusException e) {
            if (e.error() == XsdError.ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void report(PerCpu cpu, String line) {
        platform.report(cpu, "blkfront: " + name + ": " + line);
    }

    // ---- what the kernel and apps see ----

    /** The device id (the frontend directory's name under {@code device/vbd}). */
    public String devid() {
        return devid;
    }

    /** The {@code virtual-device} number the toolstack gave. */
    public String virtualDevice() {
        return virtualDevice;
    }

    /** Whether {@code n} names this device: its {@code dev}, its virtual-device number or its device id. */
    public boolean isNamed(String n) {
        return name.equals(n) || virtualDevice.equals(n) || devid.equals(n);
    }

    /** The frontend's xenbus state. */
    public XenbusState state() {
        return state;
    }

    public boolean connected() {
        return connected;
    }

    /** Why the device is not usable, once it is not. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Once the backend has set DEVICE_NEEDS_RESET: its {@code virtio-error} (quoted and printable, or "no
     * virtio-error").
     */
    public Optional<String> needsReset() {
        return Optional.ofNullable(resetReason);
    }

    /** The features both ends use (0 before the handshake). */
    public long negotiatedFeatures() {
        return negotiated;
    }

    /**
     * Waits (blocked) until the device is connected, has failed or closed, or system time reaches {@code deadline};
     * returns whether it is connected.
     */
    public boolean awaitConnected(PerCpu cpu, long deadline) {
        long bit = 1L << cpu.id();
        while (!connected && failure == null && state != XenbusState.CLOSED && cpu.now() < deadline) {
            connectWaiters.getAndUpdate(b -> b | bit);
            try {
                platform.waitForEvent(cpu, () -> connected || failure != null, deadline);
            } finally {
                connectWaiters.getAndUpdate(b -> b & ~bit);
            }
        }
        return connected;
    }

    /**
     * After the connection or a failure is published: wakes the vCPUs blocked in {@link #awaitConnected} (the
     * handshake runs on the xenwatch worker, perhaps on another vCPU, whose progress no event tells them of).
     */
    private void wakeWaiters(PerCpu cpu) {
        long others = connectWaiters.get() & ~(1L << cpu.id());
        while (others != 0) {
            int v = Long.numberOfTrailingZeros(others);
            others &= others - 1;
            platform.wake(cpu, v);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long capacityBytes() {
        VirtioBlkConfig c = config;
        return c == null ? 0 : c.capacity() * 512;
    }

    @Override
    public boolean readOnly() {
        return VirtioFeature.has(offered, VirtioBlkFeature.RO);
    }

    @Override
    public int queueDepth() {
        VirtioBlkQueue q = queue;
        return q == null ? 1 : q.depth();
    }

    @Override
    public void prepare(PerCpu cpu, GuestBuffer buffer) {
        VirtioBlkQueue q = queue;
        if (q != null) {
            q.prepare(cpu, buffer);
        }
    }

    @Override
    public boolean submit(BlockRequest r) {
        VirtioBlkQueue q = queue;
        return q != null && connected && q.submit(r);
    }

    @Override
    public void kick(PerCpu cpu) {
        VirtioBlkQueue q = queue;
        if (q != null) {
            q.kick(cpu);
        }
    }

    @Override
    public int reap(Consumer<BlockRequest> done) {
        VirtioBlkQueue q = queue;
        return q == null ? 0 : q.reap(done);
    }

    @Override
    public void awaitCompletion(PerCpu cpu) {
        VirtioBlkQueue q = queue;
        if (q != null) {
            q.awaitCompletion(cpu);
        }
    }

    /** The queue, once set up (for tests and counters). */
    Optional<VirtioBlkQueue> queue() {
        return Optional.ofNullable(queue);
    }

    @Override
    public String toString() {
        return "vbd " + devid + " (" + name + ", " + state + ")";
    }
}
