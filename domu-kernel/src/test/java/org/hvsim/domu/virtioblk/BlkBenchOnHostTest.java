package org.hvsim.domu.virtioblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.hvsim.virtio.blk.VirtioBlkConfig;
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
import org.hvsim.virtio.ring.VirtqueueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * {@code app=blkbench} in a guest on a real hypervisor, end to end: the kernel probes the vbd, grants its ring and
 * data pages, allocates its port, the test (standing in for dom0's backend, through a test xenstored) reads the
 * grant entries the guest wrote, serves the queue from the guest's memory, binds the guest's port and notifies
 * it; the job runs with verification, prints its summary and JSON, publishes the result and powers off.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlkBenchOnHostTest {
    private static final String FE = "device/vbd/51712";
    private KernelHost host;
    private volatile boolean stop;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() throws Exception {
        stop = true;
        if (host != null) {
            host.close();
        }
    }

    /**
     * With two vCPUs the xenwatch work (the probe, the handshake) may run on vCPU 1 while the app waits on
     * vCPU 0: the frontend wakes it.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aVerifyingJobRunsOnTheGuestAndPublishesItsResult(int vcpus) throws Exception {
        host = KernelHost.start(2);
        String[] be = new String[1];
        StoreGuest g = host.bootWithXenstore(
                "app=blkbench rw=randrw bs=8k iodepth=8 size=256k verify=crc32c fsync=8 dev=xvda", 32, vcpus, x -> {
                    be[0] = "/local/domain/0/backend/vbd/" + x.domid() + "/51712";
                    x.write(FE + "/backend", be[0]);
                    x.write(FE + "/backend-id", "0");
                    x.write(FE + "/virtual-device", "51712");
                    x.write(FE + "/state", "1");
                    x.write(be[0] + "/dev", "xvda");
                    x.write(be[0] + "/state", "1");
                });
        byte[] disk = new byte[1 << 20];
        Thread backend = new Thread(() -> {
            try {
                serve(g, be[0], disk);
            } catch (Throwable t) {
                if (!stop) {
                    problems.add(t.toString());
                }
            }
        }, "on-host stand-in blkback");
        backend.setDaemon(true);
        backend.start();
        GuestConsole console = host.console(g.domain());
        String seen = console.await("minios: app blkbench finished; powering off", 30_000);
        TestHost.await(g.domain()::isShutdown, 10_000, "the poweroff");
        assertEquals(ShutdownReason.POWEROFF.code(), g.domain().shutdownReason());
        assertEquals(List.of(), problems);
        assertTrue(seen.contains("blkfront: xvda: virtio-blk, 2048 sectors (1 MiB), read-write, queue 256"), seen);
        assertTrue(seen.contains("blkbench: errors: io 0, verify 0 ("), seen);
        String json = g.xenstored().value(WorkloadResult.NODE).orElseThrow();
        assertTrue(json.startsWith("{\"app\":\"blkbench\",\"rw\":\"randrw\",\"bs\":8192,\"iodepth\":8,\"dev\":\"xvda\","
                + "\"verify\":\"crc32c\",\"fsync\":8,"), json);
        assertTrue(json.contains("\"errors\":{\"io\":0,\"verify\":0}"), json);
        assertTrue(seen.contains(json), "the JSON line is on the console too");
    }

    private void serve(StoreGuest g, String be, byte[] disk) throws Exception {
        RingXenstored x = g.xenstored();
        Domain d = g.domain();
        GuestMemory m = d.hypervisorView();
        VirtioBlkConfig config = VirtioBlkConfig.of(disk.length / 512, 0, 254, 512, 0, 1, 0, 1);
        long offer = StandInBackend.OFFER;
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
        DeviceQueue q = DeviceQueue.create(m, new VirtqueueLayout(size, ring(d, x, "desc", true),
                ring(d, x, "avail", true), ring(d, x, "used", false)), translator, RingFeatures.of(accepted));
        int guestPort = Integer.parseInt(x.value(FE + "/event-channel").orElseThrow());
        int port = host.host().hv().evtchn().bindInterdomain(host.host().dom0(), d.domid(), guestPort);
        assertTrue(port > 0, "bind_interdomain: " + port);
        VirtioBlkRequestParser parser = new VirtioBlkRequestParser(VirtioBlkLimits.of(config, offer, accepted));
        x.write(be + "/state", "4");
        while (!stop && !d.isShutdown()) {
            DescriptorChain chain;
            boolean any = false;
            while ((chain = q.pop()) != null) {
                any = true;
                if (!(parser.parse(chain) instanceof VirtioBlkParseResult.Accepted a)) {
                    problems.add("bad request " + parser.parse(chain));
                    q.addUsed(chain.head(), 0);
                    continue;
                }
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
            if (any && q.needsNotification()) {
                host.host().hv().evtchn().notify(host.host().dom0(), port);
            }
            if (!any && !q.enableNotification()) {
                LockSupport.parkNanos(20_000);   // this stand-in polls; dom0's backend parks on its port
            }
        }
    }

    /** A ring area's page: the grant entry the guest wrote for it, checked. */
    private long ring(Domain d, RingXenstored x, String area, boolean readonly) {
        int ref = Integer.parseInt(x.value(FE + "/queue-0/" + area + "-ref").orElseThrow());
        GrantEntryV1 e = d.grantTable().entry(ref);
        if (e.domid() != DomId.DOM0 || (e.flags() & Gtf.PERMIT_ACCESS) == 0
                || ((e.flags() & Gtf.READONLY) != 0) != readonly) {
            problems.add(area + " ref " + ref + ": " + e);
        }
        return Page.addressOf(e.frame());
    }

    /** Consecutive refs of adjacent frames as one region of the guest's memory (no mapping: the test reads it). */
    private static GuestRegion region(Domain d, GuestMemory m, int first, int offset, long length, boolean write)
            throws DmaFault {
        long pages = (offset + length + Page.SIZE - 1) / Page.SIZE;
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
