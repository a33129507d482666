package org.hvsim.dom0.blkback;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hvsim.dom0.xen.Dom0Platform;
import org.hvsim.dom0.xen.EventNotifier;
import org.hvsim.dom0.xen.GrantMappings;
import org.hvsim.dom0.xenstore.XenstoreClient;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.dom0.xenstore.core.RateLimitedLog;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.xenbus.XenbusState;
import org.hvsim.virtio.blk.VirtioBlkRequestParser;
import org.hvsim.virtio.dma.DmaFault;
import org.hvsim.virtio.dma.GrantDmaTranslator;
import org.hvsim.virtio.ring.DeviceQueue;
import org.hvsim.virtio.ring.RingFeatures;
import org.hvsim.virtio.ring.VirtqueueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One disk's backend on the xenbus transport (the contract between frontend and backend): in Initialising
 * it opens the image, publishes {@code virtio-device-id}, {@code virtio-device-features},
 * {@code virtio-config}, {@code virtio-queue-max-size} and then InitWait; on the frontend's Initialised it
 * checks the frontend's setup, maps the ring grants, builds the queue, binds the event channel, starts the
 * {@link VirtioBlkDevice} and writes Connected. A refusal writes {@code virtio-error} and Closing. On
 * Closing (or {@code online} 0) from the toolstack, or the frontend closing, it drains, unmaps every grant,
 * unbinds its port, closes the image and writes Closed; if its directory is gone (the domain was
 * destroyed) it does the same without writing.
 *
 * <p>Threads: the driver's xenbus thread calls everything; the device thread reports a broken ring
 * through {@link #needsReset}, which hands the xenstore writes back to the xenbus thread.
 */
final class VbdBackend {
    private static final Logger LOG = LoggerFactory.getLogger(VbdBackend.class);

    /** Where a backend is in its handshake. */
    enum Phase { NEW, INIT_WAIT, CONNECTED, REFUSED, CLOSED }

    private final Dom0Platform platform;
    private final XenstoreClient xs;
    private final BlkbackDriver driver;
    private final int domid;
    private final int devid;
    private final String be;
    private final RateLimitedLog log;
    private final BlkbackCounters counters = new BlkbackCounters();
    private String fe;
    private volatile Phase phase = Phase.NEW;
    private BlockImage image;
    private VirtioBlkOffer offer;
    private String vdev = "";
    private DeviceGrants grants;
    private VirtioBlkDevice device;
    private volatile int localPort = -1;
    /** Sends the device's used-buffer notifications without waiting for the hypervisor. */
    private volatile EventNotifier notifier;
    private boolean watching;

    VbdBackend(Dom0Platform platform, XenstoreClient xs, BlkbackDriver driver, int domid, int devid, String be,
            RateLimitedLog log) {
        this.platform = platform;
        this.xs = xs;
        this.driver = driver;
        this.domid = domid;
        this.devid = devid;
        this.be = be;
        this.log = log;
    }

    Phase phase() {
        return phase;
    }

    BlkbackCounters counters() {
        return counters;
    }

    VirtioBlkDevice device() {
        return device;
    }

    DeviceGrants grants() {
        return grants;
    }

    private String name() {
        return "vbd-" + domid + "-" + devid;
    }

    /** Initialising: open the image, publish the offer, InitWait (or refuse). */
    void initialise() {
        fe = read(be + "/frontend");
        vdev = orEmpty(read(be + "/dev"));
        if (fe != null) {
            xs.watch(fe, BlkbackDriver.TOKEN, driver.listener());
            watching = true;
        }
        try {
            String params = read(be + "/params");
            boolean ro = "r".equals(read(be + "/mode"));
            image = BlockImages.open(ImageTarget.parse(params), orEmpty(read(be + "/format")), ro);
        } catch (IOException | IllegalArgumentException e) {
            refuse("cannot open the image: " + e.getMessage());
            return;
        }
        offer = VirtioBlkOffer.of(image.bytes(), image.readOnly());
        writeIfPresent("virtio-device-id", Integer.toString(VirtioBlkOffer.DEVICE_ID),
                "virtio-device-features", offer.featuresHex(),
                "virtio-config", offer.configHex(),
                "virtio-queue-max-size", Integer.toString(VirtioBlkOffer.QUEUE_MAX_SIZE),
                "state", Integer.toString(XenbusState.INIT_WAIT.number()));
        phase = Phase.INIT_WAIT;
        LOG.info("{}: {} ({} bytes{}) waits for its frontend", name(), vdev, image.bytes(), image.readOnly() ? ", read-only" : "");
    }

    /** Something in the backend or frontend directory changed. */
    void step() {
        if (phase == Phase.CLOSED || phase == Phase.NEW) {
            return;
        }
        XenbusState own = XenbusState.parse(read(be + "/state"));
        String online = read(be + "/online");
        boolean toolstackCloses = "0".equals(online) || (own == XenbusState.CLOSING && phase != Phase.REFUSED);
        if (toolstackCloses) {
            teardown(true);
            return;
        }
        if (phase == Phase.REFUSED) {
            return;
        }
        XenbusState front = fe == null ? null : XenbusState.parse(read(fe + "/state"));
        if (front == XenbusState.CLOSING || front == XenbusState.CLOSED || front == null) {
            if (phase == Phase.CONNECTED || front != null) {
                LOG.info("{}: the frontend is {}; closing", name(), front == null ? "gone" : front);
                teardown(true);
            }
            return;
        }
        if (phase == Phase.INIT_WAIT && front == XenbusState.INITIALISED) {
            connect();
        }
    }

    private void connect() {
        FrontendQueueSetup setup;
        try {
            setup = FrontendQueueSetup.parse(k -> read(fe + "/" + k), offer.features(), VirtioBlkOffer.QUEUE_MAX_SIZE);
        } catch (FrontendSetupException e) {
            refuse(e.getMessage());
            return;
        }
        grants = new DeviceGrants(new GrantMappings(platform.xc(), platform.machine()), domid);
        DeviceQueue queue;
        try {
            List<SegmentGuestMemory> pages = new ArrayList<>();
            for (int ref : setup.descRefs()) {
                pages.add(grants.page(ref, false));
            }
            for (int ref : setup.availRefs()) {
                pages.add(grants.page(ref, false));
            }
            for (int ref : setup.usedRefs()) {
                pages.add(grants.page(ref, true));
            }
            queue = DeviceQueue.create(new GrantedPages(pages), setup.layout(), new GrantDmaTranslator(grants),
                    RingFeatures.of(setup.features()));
        } catch (DmaFault | VirtqueueException e) {
            refuse("cannot map the queue: " + e.getMessage());
            return;
        }
        device = new VirtioBlkDevice(name(), queue, new VirtioBlkRequestParser(offer.limits(setup.features())),
                new BlkRequestExecutor(image, vdev + "-" + devid), this::notifyFrontend, this::needsReset, counters, log,
                VirtioBlkDevice.DEFAULT_SPIN_NANOS);
        try {
            VirtioBlkDevice d = device;
            localPort = platform.events().bindInterdomain(domid, setup.eventChannel(), "vbd " + vdev, p -> {
                counters.count(BlkbackCounters.Event.KICKED);
                d.kick();
            });
            notifier = new EventNotifier(platform.xc(), localPort);
        } catch (RuntimeException e) {
            device = null;
            refuse("cannot bind event channel " + setup.eventChannel() + ": " + e.getMessage());
            return;
        }
        device.start();
        writeIfPresent("state", Integer.toString(XenbusState.CONNECTED.number()));
        phase = Phase.CONNECTED;
        LOG.info("{}: connected (queue size {}, features {}, port {})", name(), setup.size(),
                Long.toHexString(setup.features()), localPort);
    }

    private void notifyFrontend() {
        EventNotifier n = notifier;
        if (n != null) {
            n.notifyRemote();
        }
    }

    /** The device thread found the ring broken: DEVICE_NEEDS_RESET (device-status 64) and virtio-error. */
    private void needsReset(String reason) {
        driver.execute(() -> {
            if (phase != Phase.CONNECTED) {
                return;
            }
            writeIfPresent("virtio-device-status", "64", "virtio-error", oneLine(reason));
            notifyFrontend();
        });
    }

    /** Refuses the frontend: virtio-error and Closing; everything opened so far is released. */
    private void refuse(String why) {
        log.warn("{}: refused: {}", name(), why);
        release();
        writeIfPresent("virtio-error", oneLine(why), "state", Integer.toString(XenbusState.CLOSING.number()));
        phase = Phase.REFUSED;
    }

    /** Drains and releases everything; writes Closed if {@code writeClosed} and the directory is still there. */
    void teardown(boolean writeClosed) {
        if (phase == Phase.CLOSED) {
            return;
        }
        release();
        phase = Phase.CLOSED;
        if (writeClosed) {
            try {
                writeIfPresent("state", Integer.toString(XenbusState.CLOSED.number()));
            } catch (XenstoreException | IllegalStateException e) {
                LOG.debug("{}: cannot write Closed: {}", name(), e.getMessage());
            }
        }
        LOG.info("{}: closed ({})", name(), counters);
    }

    private void release() {
        if (device != null) {
            device.close();
        }
        EventNotifier n = notifier;
        notifier = null;
        if (n != null) {
            n.close();
        }
        int p = localPort;
        localPort = -1;
        if (p >= 0) {
            try {
                platform.events().close(p);
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot close port {}: {}", name(), p, e.getMessage());
            }
        }
        if (grants != null) {
            try {
                grants.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot unmap every grant: {}", name(), e.getMessage());
            }
            grants = null;
        }
        if (image != null) {
            try {
                image.close();
            } catch (IOException e) {
                LOG.warn("{}: cannot close the image: {}", name(), e.getMessage());
            }
            image = null;
        }
        if (watching) {
            watching = false;
            try {
                xs.unwatch(fe, BlkbackDriver.TOKEN);
            } catch (XenstoreException | IllegalStateException e) {
                LOG.debug("{}: unwatch: {}", name(), e.getMessage());
            }
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

    /**
     * Writes keys and values ({@code key, value, ...}, relative to the backend directory) in order in one
     * transaction, only if the directory is still there: a toolstack removing it meanwhile (domain destroy)
     * must not find nodes recreated behind it.
     */
    private void writeIfPresent(String... kv) {
        xs.transaction(t -> {
            if (t.exists(be)) {
                for (int i = 0; i < kv.length; i += 2) {
                    t.write(be + "/" + kv[i], kv[i + 1]);
                }
            }
            return null;
        });
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("[\\r\\n]+", " ");
        return t.length() > 200 ? t.substring(0, 200) : t;
    }
}
