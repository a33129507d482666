package org.hvsim.domu.virtioblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.hvsim.domu.testing.GuestConsole;
import org.hvsim.domu.testing.KernelHost;
import org.hvsim.domu.testing.KernelHost.StoreGuest;
import org.hvsim.domu.testing.RingXenstored;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.gnttab.GrantEntryV1;
import org.hvsim.hv.abi.gnttab.Gtf;
import org.hvsim.hv.abi.xenstore.WorkloadResult;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.testing.TestHost;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code app=blkhostile} in a guest on a real hypervisor, end to end: the kernel connects its disk; the test stands
 * in for dom0's backend (through a test xenstored, mapping nothing: it reads the guest's grant entries and memory)
 * and answers bad input as dom0's does: a bad chain returned unused, a malformed request with the parser's status,
 * a broken ring with DEVICE_NEEDS_RESET in {@code virtio-device-status} and {@code virtio-error}. The app prints
 * the answer and the good read after it, publishes its result and powers off.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlkHostileOnHostTest {
    private static final String FE = "device/vbd/51712";
    private static final int DISK = 1 << 20;
    private KernelHost host;
    private volatile boolean stop;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong badChains = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    @AfterEach
    void close() throws Exception {
        stop = true;
        if (host != null) {
            host.close();
        }
    }

    private StoreGuest boot(String cmdline, boolean readOnly) throws Exception {
        host = KernelHost.start(2);
        String[] be = new String[1];
        StoreGuest g = host.bootWithXenstore(cmdline, 16, 1, x -> {
            be[0] = "/local/domain/0/backend/vbd/" + x.domid() + "/51712";
            x.write(FE + "/backend", be[0]);
            x.write(FE + "/backend-id", "0");
            x.write(FE + "/virtual-device", "51712");
            x.write(FE + "/state", "1");
            x.write(be[0] + "/dev", "xvda");
            x.write(be[0] + "/state", "1");
        });
        Thread backend = new Thread(() -> {
            try {
                serve(g, be[0], readOnly);
            } catch (Throwable t) {
                if (!stop) {
                    problems.add(t.toString());
                }
            }
        }, "on-host stand-in blkback");
        backend.setDaemon(true);
        backend.start();
        return g;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "loop       | returned unused (used len 0)  | unused | OK",
        "bad-ref    | returned unused (used len 0)  | unused | OK",
        "ro-data    | IOERR (used len 1)            | IOERR  | OK",
        "past-end   | IOERR (used len 0)            | IOERR  | OK",
        "avail-jump | DEVICE_NEEDS_RESET (virtio-error: \"available idx moved by more than the queue size: "
                + "idx 257 is 257 ahead of 0, queue size 256\") | DEVICE_NEEDS_RESET | skipped"})
    void theGuestSaysWhatTheBackendAnsweredPublishesItAndPowersOff(String c, String answer, String json, String after)
            throws Exception {
        StoreGuest g = boot("app=blkhostile case=" + c + " dev=xvda", false);
        GuestConsole console = host.console(g.domain());
        String seen = console.await("minios: app blkhostile finished; powering off", 30_000);
        TestHost.await(g.domain()::isShutdown, 10_000, "the poweroff");
        assertEquals(ShutdownReason.POWEROFF.code(), g.domain().shutdownReason());
        assertEquals(List.of(), problems);
        assertTrue(seen.contains("blkhostile: " + c + ": on xvda (1048576 bytes); the spec's answer: " + json), seen);
        assertTrue(seen.contains("blkhostile: " + c + ": answered: " + answer), seen);
        if (after.equals("OK")) {
            assertTrue(seen.contains("blkhostile: " + c + ": a good read after it: OK"), seen);
        } else {
            assertTrue(seen.contains("blkhostile: " + c + ": no request after it: the ring needs a device reset"),
                    seen);
            assertTrue(seen.contains("blkfront: xvda: device needs reset (virtio-device-status 64)"), seen);
        }
        String result = g.xenstored().value(WorkloadResult.NODE).orElseThrow();
        assertTrue(result.startsWith("{\"app\":\"blkhostile\",\"case\":\"" + c + "\",\"dev\":\"xvda\",\"answer\":\""
                + json + "\",\"expected\":\"" + json + "\","), result);
        assertTrue(result.endsWith(",\"after\":\"" + after + "\"}"), result);
        assertTrue(seen.contains(result), "the JSON line is on the console too");
        assertEquals(json.equals("unused") ? 1 : 0, badChains.get());
        assertEquals(json.equals("IOERR") ? 1 : 0, rejected.get());
    }

    @Test
    void aWriteToAReadOnlyDiskIsIoerr() throws Exception {
        StoreGuest g = boot("app=blkhostile case=ro-write", true);
        String seen = host.console(g.domain()).await("minios: app blkhostile finished; powering off", 30_000);
        assertTrue(seen.contains("blkhostile: ro-write: on xvda (1048576 bytes, read-only)"), seen);
        assertTrue(seen.contains("blkhostile: ro-write: answered: IOERR (used len 1)"), seen);
        assertTrue(seen.contains("blkhostile: ro-write: a good read after it: OK"), seen);
        assertEquals(1, rejected.get());
        assertEquals(List.of(), problems);
    }

    @Test
    void aWriteCaseOnAReadWriteDiskIsRefusedAndTheDomainCrashes() throws Exception {
        StoreGuest g = boot("app=blkhostile case=ro-write", false);
        host.console(g.domain()).await("blkhostile: ro-write needs a read-only disk (access=ro); xvda is read-write",
                30_000);
        TestHost.await(g.domain()::isShutdown, 10_000, "the crash");
        assertEquals(ShutdownReason.CRASH.code(), g.domain().shutdownReason());
        assertEquals(0, rejected.get() + badChains.get());
    }

    /** The backend's side, as dom0's answers: bad chains unused, bad requests the parser's status, a jump a reset. */
    private void serve(StoreGuest g, String be, boolean readOnly) throws Exception {
        RingXenstored x = g.xenstored();
        Domain d = g.domain();
        GuestMemory m = d.hypervisorView();
        VirtioBlkConfig config = VirtioBlkConfig.of(DISK / 512, 0, 254, 512, 0, 1, 0, 1);
        long offer = StandInBackend.OFFER | (readOnly ? VirtioFeature.mask(VirtioBlkFeature.RO) : 0);
        x.write(be + "/virtio-device-id", "2");
        x.write(be + "/virtio-device-features", Long.toHexString(offer));
        x.write(be + "/virtio-config", HexFormat.of().formatHex(config.encode()));
        x.write(be + "/virtio-queue-max-size", "256");
        x.write(be + "/state", "2");
        x.await(s -> "3".equals(s.value(FE + "/state").orElse(null)), 10_000, "Initialised");
        long accepted = Long.parseUnsignedLong(x.value(FE + "/virtio-driver-features").orElseThrow(), 16);
        int size = Integer.parseInt(x.value(FE + "/queue-0/size").orElseThrow());
        GrantDmaTranslator translator = new GrantDmaTranslator((first, off, len, write) -> region(d, m, first, off,
                len, write));
        DeviceQueue q = DeviceQueue.create(m, new VirtqueueLayout(size, ring(d, x, "desc"), ring(d, x, "avail"),
                ring(d, x, "used")), translator, RingFeatures.of(accepted));
        int guestPort = Integer.parseInt(x.value(FE + "/event-channel").orElseThrow());
        int port = host.host().hv().evtchn().bindInterdomain(host.host().dom0(), d.domid(), guestPort);
        assertTrue(port > 0, "bind_interdomain: " + port);
        VirtioBlkRequestParser parser = new VirtioBlkRequestParser(VirtioBlkLimits.of(config, offer, accepted));
        byte[] disk = new byte[DISK];
        x.write(be + "/state", "4");
        while (!stop && !d.isShutdown()) {
            boolean any = false;
            while (true) {
                DescriptorChain chain;
                try {
                    chain = q.pop();
                } catch (VirtqueueException e) {
                    if (e.breaksQueue()) {
                        x.write(be + "/virtio-error", e.getMessage());
                        x.write(be + "/virtio-device-status", "64");
                        return;
                    }
                    badChains.incrementAndGet();
                    q.addUsed(e.head(), 0);
                    any = true;
                    continue;
                }
                if (chain == null) {
                    break;
                }
                any = true;
                switch (parser.parse(chain)) {
                    case VirtioBlkParseResult.Accepted a -> {
                        VirtioBlkRequest r = a.request();
                        int off = (int) (r.sector() * 512);
                        switch (r.type()) {
                            case VirtioBlkRequestType.IN -> r.data().write(0, disk, off, (int) r.dataLength());
                            case VirtioBlkRequestType.OUT -> r.data().read(0, disk, off, (int) r.dataLength());
                            default -> { }
                        }
                        r.complete(VirtioBlkStatus.OK);
                        q.addUsed(r.head(), r.usedLength(VirtioBlkStatus.OK));
                    }
                    case VirtioBlkParseResult.Rejected r -> {
                        rejected.incrementAndGet();
                        r.complete();
                        q.addUsed(r.head(), r.usedLength());
                    }
                    case VirtioBlkParseResult.Unanswerable u -> {
                        problems.add("unanswerable: " + u.reason());
                        q.addUsed(u.head(), 0);
                    }
                }
            }
            if (any && q.needsNotification()) {
                host.host().hv().evtchn().notify(host.host().dom0(), port);
            }
            if (!any && !q.enableNotification()) {
                LockSupport.parkNanos(20_000);   // this stand-in polls; dom0's backend parks on its port
            }
        }
    }

    private long ring(Domain d, RingXenstored x, String area) {
        int ref = Integer.parseInt(x.value(FE + "/queue-0/" + area + "-ref").orElseThrow());
        GrantEntryV1 e = d.grantTable().entry(ref);
        if (e.domid() != DomId.DOM0 || (e.flags() & Gtf.PERMIT_ACCESS) == 0) {
            problems.add(area + " ref " + ref + ": " + e);
        }
        return Page.addressOf(e.frame());
    }

    /** Consecutive refs of adjacent frames as one region of the guest's memory; a ref beyond the table a fault. */
    private static GuestRegion region(Domain d, GuestMemory m, int first, int offset, long length, boolean write)
            throws DmaFault {
        long pages = (offset + length + Page.SIZE - 1) / Page.SIZE;
        if (Integer.toUnsignedLong(first) + pages > HostileFront.UNGRANTED_REF) {
            throw new DmaFault(0, length, "ref " + Integer.toUnsignedString(first) + " beyond the grant table");
        }
        GrantEntryV1 f = d.grantTable().entry(first);
        for (int i = 0; i < pages; i++) {
            GrantEntryV1 e = d.grantTable().entry(first + i);
            if (e.domid() != DomId.DOM0 || (e.flags() & Gtf.PERMIT_ACCESS) == 0
                    || (write && (e.flags() & Gtf.READONLY) != 0) || e.frame() != f.frame() + i) {
                throw new DmaFault(0, length, "ref " + (first + i) + ": " + e);
            }
        }
        return new GuestRegion(m, Page.addressOf(f.frame()) + offset, length, write);
    }
}
