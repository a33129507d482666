package org.hvsim.dom0.blkback;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hvsim.dom0.xen.Dom0Platform;
import org.hvsim.dom0.xenstore.WatchListener;
import org.hvsim.dom0.xenstore.XenstoreClient;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.hv.abi.xenbus.XenbusState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dom0's virtio-blk backend driver: it watches {@code backend/vbd} in dom0's xenstore tree (and each
 * device's frontend directory) and, on every change, looks at every device directory: a new one in
 * Initialising gets a {@link VbdBackend}, the others take the next step of their handshake, and those
 * whose directory went (the toolstack removed the domain's disks) are torn down. One backend per
 * {@code <domid>/<devid>}; a hostile frontend's errors stay in its own device.
 *
 * <p>Threads: watch events arrive on the xenstore client's event thread and only queue a pass; every pass
 * runs on the one {@code blkback-xenbus} thread; {@link #close} from the thread that stops dom0.
 */
public final class BlkbackDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlkbackDriver.class);
    /** dom0's backend directory for vbds. */
    public static final String ROOT = "/local/domain/0/backend/vbd";
    static final String TOKEN = "blkback";

    private record DeviceKey(int domid, int devid) {}

    private final Dom0Platform platform;
    private final XenstoreClient xs;
    private final ExecutorService xenbus = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("blkback-xenbus").daemon().factory());
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<DeviceKey, VbdBackend> devices = new ConcurrentHashMap<>();
    private final RateLimitedLog log = RateLimitedLog.standard(LoggerFactory.getLogger(VirtioBlkDevice.class));
    private final WatchListener listener = (path, token) -> queuePass();

    private BlkbackDriver(Dom0Platform platform, Xenstored xenstored) {
        this.platform = platform;
        this.xs = xenstored.client();
    }

    /** Starts watching; devices already laid out are picked up at once. */
    public static BlkbackDriver start(Dom0Platform platform, Xenstored xenstored) {
        BlkbackDriver d = new BlkbackDriver(platform, xenstored);
        d.xs.watch(ROOT, TOKEN, d.listener);
        d.queuePass();
        return d;
    }

    WatchListener listener() {
        return listener;
    }

    /** Runs {@code task} on the xenbus thread (dropped once the driver is closed). */
    void execute(Runnable task) {
        try {
            xenbus.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("blkback: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("blkback is closed; task dropped");
        }
    }

    private void queuePass() {
        if (passQueued.compareAndSet(false, true)) {
            execute(() -> {
                passQueued.set(false);
                pass();
            });
        }
    }

    private void pass() {
        Set<DeviceKey> present = new HashSet<>();
        for (String dom : list(ROOT)) {
            Integer domid = number(dom);
            if (domid == null) {
                continue;
            }
            for (String dev : list(ROOT + "/" + dom)) {
                Integer devid = number(dev);
                if (devid == null) {
                    continue;
                }
                DeviceKey key = new DeviceKey(domid, devid);
                String be = ROOT + "/" + dom + "/" + dev;
                VbdBackend b = devices.get(key);
                try {
                    if (b == null) {
                        if (XenbusState.parse(read(be + "/state")) == XenbusState.INITIALISING) {
                            b = new VbdBackend(platform, xs, this, domid, devid, be, log);
                            devices.put(key, b);
                            b.initialise();
                        }
                    } else {
                        b.step();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("blkback: device {}/{}: {}", domid, devid, e.toString(), e);
                }
                if (b != null && b.phase() != VbdBackend.Phase.CLOSED) {
                    present.add(key);
                }
            }
        }
        for (DeviceKey k : new ArrayList<>(devices.keySet())) {
            if (!present.contains(k)) {
                VbdBackend b = devices.remove(k);
                if (b.phase() != VbdBackend.Phase.CLOSED) {
                    LOG.info("blkback: the directory of vbd {}/{} is gone; tearing down", k.domid(), k.devid());
                    b.teardown(false);
                }
            }
        }
    }

    /** The device of frontend {@code domid}, {@code devid}, if the driver has one (for tests and inspection). */
    VbdBackend device(int domid, int devid) {
        return devices.get(new DeviceKey(domid, devid));
    }

    /** Devices with a backend now. */
    public int size() {
        return devices.size();
    }

    private List<String> list(String path) {
        try {
            return xs.directory(path);
        } catch (XenstoreException e) {
            if (e.error() == XsdError.ENOENT) {
                return List.of();
            }
            throw e;
        }
    }

    private String read(String path) {
        try {
            return xs.readString(path);
        } catch (XenstoreException e) {
            if (e.error() == XsdError.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    private static Integer number(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Integer.parseInt(s);
    }

    /** Stops watching and tears every device down (drained, unmapped, unbound, closed). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            xs.unwatch(ROOT, TOKEN);
        } catch (XenstoreException | IllegalStateException e) {
            LOG.debug("blkback: unwatch: {}", e.getMessage());
        }
        execute(() -> {
            for (VbdBackend b : devices.values()) {
                b.teardown(false);
            }
            devices.clear();
        });
        xenbus.shutdown();
        try {
            if (!xenbus.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("blkback: teardown did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        xs.close();
    }
}
