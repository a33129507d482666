package org.hvsim.domu.virtioblk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hvsim.domu.xenbus.XenbusRig;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.xenbus.XenbusState;
import org.hvsim.virtio.DeviceStatus;
import org.hvsim.virtio.VirtioFeature;
import org.hvsim.virtio.blk.VirtioBlkConfig;
import org.hvsim.virtio.blk.VirtioBlkFeature;
import org.hvsim.virtio.blk.VirtioBlkLimits;
import org.hvsim.virtio.blk.VirtioBlkParseResult;
import org.hvsim.virtio.blk.VirtioBlkRequest;
import org.hvsim.virtio.blk.VirtioBlkRequestParser;
import org.hvsim.virtio.blk.VirtioBlkRequestType;
import org.hvsim.virtio.blk.VirtioBlkStatus;
import org.hvsim.virtio.dma.DmaFault;
import org.hvsim.virtio.dma.GrantDmaTranslator;
import org.hvsim.virtio.dma.GuestRegion;
import org.hvsim.virtio.ring.DescriptorChain;
import org.hvsim.virtio.ring.DeviceQueue;
import org.hvsim.virtio.ring.RingFeatures;
import org.hvsim.virtio.ring.VirtqueueException;
import org.hvsim.virtio.ring.VirtqueueLayout;

/**
 * dom0's side of the contract for frontend tests, on its own thread: the toolstack's layout of one vbd, then the
 * backend's offer (features, config, queue size, InitWait), its checks of the frontend's keys (or a refusal with
 * {@code virtio-error}), the ring pages mapped from the rig's grants, a {@link DeviceQueue} served against a disk
 * in a byte array, and on request a detach (Closing, wait for the frontend, unmap, Closed) or a broken ring
 * (DEVICE_NEEDS_RESET). What it finds wrong with the frontend goes to {@link #problems}.
 *
 * <p>Threads: its own thread; the test thread sets the knobs and asks for a detach or a reset.
 */
final class StandInBackend implements AutoCloseable {
    static final String DEVID = "51712";
    static final String BACKEND = "/local/domain/0/backend/vbd/" + XenbusRig.DOMID + "/" + DEVID;
    static final String FRONTEND = VbdBus.VBD_DIR + "/" + DEVID;
    static final long TIMEOUT_MS = 10_000;
    static final long OFFER = VirtioFeature.mask(VirtioFeature.VERSION_1)
            | VirtioFeature.mask(VirtioFeature.ACCESS_PLATFORM) | VirtioFeature.mask(VirtioFeature.EVENT_IDX)
            | VirtioFeature.mask(VirtioFeature.INDIRECT_DESC) | VirtioFeature.mask(VirtioBlkFeature.SEG_MAX)
            | VirtioFeature.mask(VirtioBlkFeature.BLK_SIZE) | VirtioFeature.mask(VirtioBlkFeature.FLUSH)
            | VirtioFeature.mask(VirtioBlkFeature.DISCARD) | VirtioFeature.mask(VirtioBlkFeature.WRITE_ZEROES);

    private final XenbusRig rig;
    private final RigPlatform platform;
    final byte[] disk;
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong served = new AtomicLong();
    final AtomicLong flushes = new AtomicLong();
    final AtomicLong notifications = new AtomicLong();
    private final Semaphore kicks = new Semaphore(0);
    private final Thread thread;
    volatile long offered = OFFER;
    volatile int queueMaxSize = 256;
    volatile String refusal;
    /** Pop nothing while set (requests stay in flight). */
    volatile boolean hold;
    /**
     * Answer bad input as dom0's backend does (a bad chain returned unused, a malformed request with the parser's
     * status, a broken ring with DEVICE_NEEDS_RESET) and count it, instead of reporting a problem.
     */
    volatile boolean answerBadInput;
    final AtomicLong badChains = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    volatile String resetReason = "avail idx jumped (test)";
    private volatile boolean detach;
    private volatile boolean reset;
    private volatile boolean stop;
    volatile DeviceQueue queue;

    StandInBackend(XenbusRig rig, RigPlatform platform, int diskBytes) {
        this.rig = rig;
        this.platform = platform;
        this.disk = new byte[diskBytes];
        platform.backendKick = kicks::release;
        this.thread = new Thread(this::run, "stand-in blkback");
        thread.setDaemon(true);
    }

    /** The toolstack's layout of the vbd (both directories, state 1), as at domain creation. */
    StandInBackend layOut(boolean readOnly) {
        if (readOnly) {
            offered |= VirtioFeature.mask(VirtioBlkFeature.RO);
        }
        w(FRONTEND + "/backend", BACKEND);
        w(FRONTEND + "/backend-id", "0");
        w(FRONTEND + "/virtual-device", DEVID);
        w(FRONTEND + "/device-type", "disk");
        w(FRONTEND + "/state", "1");
        w(BACKEND + "/frontend", "/local/domain/" + XenbusRig.DOMID + "/" + FRONTEND);
        w(BACKEND + "/frontend-id", Integer.toString(XenbusRig.DOMID));
        w(BACKEND + "/online", "1");
        w(BACKEND + "/dev", "xvda");
        w(BACKEND + "/mode", readOnly ? "r" : "w");
        w(BACKEND + "/state", "1");
        return this;
    }

    StandInBackend start() {
        thread.start();
        return this;
    }

    /** The toolstack detaches the device: online=0, Closing. */
    void detach() {
        detach = true;
        kicks.release();
    }

    /** The ring broke: stop serving, DEVICE_NEEDS_RESET. */
    void breakRing() {
        reset = true;
        kicks.release();
    }

    private void w(String path, String value) {
        rig.xenstored.write(path, value);
    }

    private String frontend(String key) {
        return rig.xenstored.value(FRONTEND + "/" + key).orElse(null);
    }

    private XenbusState frontendState() {
        return XenbusState.parse(frontend("state"));
    }

    private void awaitFrontend(XenbusState... states) {
        rig.xenstored.await(x -> List.of(states).contains(XenbusState.parse(
                x.value(FRONTEND + "/state").orElse(null))), TIMEOUT_MS, "frontend in " + List.of(states));
    }

    private void run() {
        try {
            serve();
        } catch (Throwable t) {
            if (!stop) {
                problems.add("backend died: " + t);
            }
        }
    }

    private void serve() throws Exception {
        long capacity = disk.length / 512;
        VirtioBlkConfig config = VirtioBlkConfig.of(capacity, 0, 254, 512, 0, 1, 0, 1);
        w(BACKEND + "/virtio-device-id", "2");
        w(BACKEND + "/virtio-device-features", Long.toHexString(offered));
        w(BACKEND + "/virtio-config", HexFormat.of().formatHex(config.encode()));
        w(BACKEND + "/virtio-queue-max-size", Integer.toString(queueMaxSize));
        w(BACKEND + "/state", "2");
        awaitFrontend(XenbusState.INITIALISED, XenbusState.CLOSING);
        if (frontendState() == XenbusState.CLOSING) {
            closeDown();
            return;
        }
        if (refusal != null) {
            w(BACKEND + "/virtio-error", refusal);
            w(BACKEND + "/state", "5");
            closeDown();
            return;
        }
        long accepted = Long.parseUnsignedLong(frontend("virtio-driver-features"), 16);
        if ((accepted & ~offered) != 0 || !VirtioFeature.has(accepted, VirtioFeature.VERSION_1)
                || !VirtioFeature.has(accepted, VirtioFeature.ACCESS_PLATFORM)) {
            problems.add("accepted features " + Long.toHexString(accepted) + " of " + Long.toHexString(offered));
        }
        int size = Integer.parseInt(frontend("queue-0/size"));
        int port = Integer.parseInt(frontend("event-channel"));
        if (port != RigPlatform.PORT || platform.boundTo != 0) {
            problems.add("event-channel " + port + " bound for " + platform.boundTo);
        }
        long desc = mapRing(frontend("queue-0/desc-ref"), true);
        long avail = mapRing(frontend("queue-0/avail-ref"), true);
        long used = mapRing(frontend("queue-0/used-ref"), false);
        GuestMemory m = rig.memory();
        DeviceQueue q = DeviceQueue.create(m, new VirtqueueLayout(size, desc, avail, used),
                new GrantDmaTranslator(this::map), RingFeatures.of(accepted));
        queue = q;
        VirtioBlkRequestParser parser = new VirtioBlkRequestParser(VirtioBlkLimits.of(config, offered, accepted));
        w(BACKEND + "/state", "4");
        while (!stop) {
            if (detach) {
                w(BACKEND + "/online", "0");
                w(BACKEND + "/state", "5");
                closeDown();
                return;
            }
            if (reset) {
                w(BACKEND + "/virtio-error", resetReason);
                w(BACKEND + "/virtio-device-status", Integer.toString(DeviceStatus.DEVICE_NEEDS_RESET
                        | DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK
                        | DeviceStatus.DRIVER_OK));
                notifyGuest();
                while (!stop && !detach) {
                    kicks.tryAcquire(20, TimeUnit.MILLISECONDS);
                }
                continue;
            }
            if (!hold) {
                DescriptorChain chain;
                while ((chain = pop(q)) != null) {
                    execute(q, parser, chain);
                }
                if (reset) {
                    continue;
                }
                if (q.needsNotification()) {
                    notifyGuest();
                }
                if (q.enableNotification()) {
                    continue;
                }
            }
            kicks.tryAcquire(20, TimeUnit.MILLISECONDS);
        }
    }

    /** The next chain; a bad one answered (with {@link #answerBadInput}) and skipped; null if none or broken. */
    private DescriptorChain pop(DeviceQueue q) throws VirtqueueException {
        while (true) {
            try {
                return q.pop();
            } catch (VirtqueueException e) {
                if (!answerBadInput) {
                    throw e;
                }
                if (e.breaksQueue()) {
                    resetReason = e.getMessage();
                    reset = true;
                    return null;
                }
                badChains.incrementAndGet();
                q.addUsed(e.head(), 0);
            }
        }
    }

    private void notifyGuest() {
        notifications.incrementAndGet();
        platform.raiseGuest();
    }

    private void execute(DeviceQueue q, VirtioBlkRequestParser parser, DescriptorChain chain)
            throws VirtqueueException {
        switch (parser.parse(chain)) {
            case VirtioBlkParseResult.Accepted a -> {
                VirtioBlkRequest r = a.request();
                int status = VirtioBlkStatus.OK;
                int off = (int) (r.sector() * 512);
                switch (r.type()) {
                    case VirtioBlkRequestType.IN -> r.data().write(0, disk, off, (int) r.dataLength());
                    case VirtioBlkRequestType.OUT -> r.data().read(0, disk, off, (int) r.dataLength());
                    case VirtioBlkRequestType.FLUSH -> flushes.incrementAndGet();
                    default -> status = VirtioBlkStatus.UNSUPP;
                }
                r.complete(status);
                served.incrementAndGet();
                q.addUsed(r.head(), r.usedLength(status));
            }
            case VirtioBlkParseResult.Rejected r -> {
                if (answerBadInput) {
                    rejected.incrementAndGet();
                } else {
                    problems.add("rejected: " + r.reason());
                }
                r.complete();
                q.addUsed(r.head(), r.usedLength());
            }
            case VirtioBlkParseResult.Unanswerable u -> {
                problems.add("unanswerable: " + u.reason());
                q.addUsed(u.head(), 0);
            }
        }
    }

    /** Closing: wait for the frontend to close, unmap everything, Closed. */
    private void closeDown() {
        if (frontendState() != XenbusState.CLOSED) {
            w(BACKEND + "/state", "5");
            awaitFrontend(XenbusState.CLOSING, XenbusState.CLOSED);
        }
        platform.mapped.clear();
        w(BACKEND + "/state", "6");
    }

    /** Maps a one-page ring area's grant (persistently); returns its address in the rig's memory. */
    private long mapRing(String refText, boolean readonly) throws DmaFault {
        int ref = Integer.parseInt(refText);
        RigPlatform.Grant g = platform.grants.get(ref);
        if (g == null || g.domid() != 0) {
            throw new DmaFault(0, 0, "ring ref " + ref + " not granted to dom0: " + g);
        }
        if (g.readonly() != readonly) {
            problems.add("ring ref " + ref + " granted " + (g.readonly() ? "read-only" : "writable"));
        }
        platform.mapped.add(ref);
        return Page.addressOf(g.gfn());
    }

    /** The backend's grant mappings: consecutive refs of consecutive frames, as one region. */
    private GuestRegion map(int firstRef, int offset, long length, boolean write) throws DmaFault {
        long pages = (offset + length + Page.SIZE - 1) / Page.SIZE;
        RigPlatform.Grant first = platform.grants.get(firstRef);
        for (int i = 0; i < pages; i++) {
            RigPlatform.Grant g = platform.grants.get(firstRef + i);
            if (g == null || g.domid() != 0) {
                throw new DmaFault(0, length, "ref " + (firstRef + i) + " not granted to dom0");
            }
            if (write && g.readonly()) {
                throw new DmaFault(0, length, "ref " + (firstRef + i) + " is read-only");
            }
            if (g.gfn() != first.gfn() + i) {
                throw new DmaFault(0, length, "refs of frames not adjacent in this test's memory");
            }
            platform.mapped.add(firstRef + i);
        }
        return new GuestRegion(rig.memory(), Page.addressOf(first.gfn()) + offset, length, write);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        kicks.release();
        thread.join(TIMEOUT_MS);
    }
}
