package org.hvsim.dom0.blkback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.hvsim.dom0.xen.InProcessDom0;
import org.hvsim.dom0.xen.Xc;
import org.hvsim.dom0.xenstore.XenstoreClient;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestMemory;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.hvsim.hv.abi.gnttab.GntSt;
import org.hvsim.hv.abi.gnttab.GntTabOp;
import org.hvsim.hv.abi.gnttab.GnttabSetupTable;
import org.hvsim.hv.abi.gnttab.GrantEntryV1;
import org.hvsim.hv.abi.gnttab.Gtf;
import org.hvsim.hv.abi.xenbus.XenbusState;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.hypercall.HypercallContext;
import org.hvsim.hv.testing.TestHost;
import org.hvsim.virtio.blk.VirtioBlkConfig;
import org.hvsim.virtio.blk.VirtioBlkRequestHeader;
import org.hvsim.virtio.blk.VirtioBlkRequestType;
import org.hvsim.virtio.blk.VirtioBlkStatus;
import org.hvsim.virtio.dma.GrantDmaAddress;
import org.hvsim.virtio.ring.DriverBuffer;
import org.hvsim.virtio.ring.DriverQueue;
import org.hvsim.virtio.ring.UsedElement;
import org.hvsim.virtio.ring.VirtqueueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend driver over a real xenstored and an in-process hypervisor, with the test playing the toolstack
 * (the vbd directories) and the frontend (its keys, grants, ring and event channel, from the guest's side).
 */
class BlkbackXenbusTest {
    private static final int DEVID = 51712;
    private static final int QSIZE = 8;
    private static final long DESC_GFN = 20;
    private static final long AVAIL_GFN = 21;
    private static final long USED_GFN = 22;
    private static final long REQ_GFN = 24; // header at 0, status at 64
    private static final long DATA_GFN = 25; // two pages
    private static final int DESC_REF = 1;
    private static final int AVAIL_REF = 2;
    private static final int USED_REF = 3;
    private static final int REQ_REF = 8;
    private static final int DATA_REF = 9;
    private static final long SCRATCH = 0x100; // page 0: hypercall arguments

    @TempDir
    Path dir;

    private final InProcessDom0 dom0;
    private final Xc xc;
    private final Domain guest;
    private final GuestMemory gm;
    private final Xenstored xenstored = Xenstored.builder().build();
    private final XenstoreClient xs = xenstored.client();
    private final BlkbackDriver driver;
    private final String be;
    private final String fe;

    BlkbackXenbusTest() throws Exception {
        dom0 = InProcessDom0.start(1, 256);
        xc = dom0.platform().xc();
        int domid = xc.createDomain(new byte[16], 1, 0, 0, 0);
        xc.setMaxMem(domid, 128); // KiB: 32 pages
        long[] gpfns = new long[32];
        for (int i = 0; i < gpfns.length; i++) {
            gpfns[i] = i;
        }
        xc.populatePhysmap(domid, gpfns, 0);
        guest = dom0.host().hv().domains().find(domid);
        gm = guest.hypervisorView();
        new GnttabSetupTable(DomId.SELF, 1, 99, 64).write(gm, 0);
        assertEquals(0, guestHypercall(HypercallNr.GRANT_TABLE_OP, GntTabOp.SETUP_TABLE, 0, 1));
        assertEquals(GntSt.OKAY, gm.getShort(GnttabSetupTable.STATUS));
        long tableGfn = gm.getLong(64);
        assertTrue(tableGfn < DESC_GFN || tableGfn > DATA_GFN + 1, "the grant table frame is not one of the test's");
        driver = BlkbackDriver.start(dom0.platform(), xenstored);
        be = BlkbackDriver.ROOT + "/" + domid + "/" + DEVID;
        fe = "/local/domain/" + domid + "/device/vbd/" + DEVID;
    }

    @AfterEach
    void close() throws Exception {
        driver.close();
        xs.close();
        xenstored.close();
        dom0.close();
    }

    private long guestHypercall(int nr, long a1, long a2, long a3) {
        return dom0.host().hv().hypercalls().dispatch(new HypercallContext(guest, guest.vcpu(0)), nr, a1, a2, a3, 0, 0);
    }

    private long entry(int ref) {
        return Page.addressOf(gm.getLong(64)) + (long) ref * GrantEntryV1.SIZE;
    }

    private void grant(int ref, long gfn, boolean readonly) {
        gm.putShort(entry(ref) + GrantEntryV1.DOMID, (short) 0);
        gm.putInt(entry(ref) + GrantEntryV1.FRAME, (int) gfn);
        gm.putShortRelease(entry(ref), (short) (Gtf.PERMIT_ACCESS | (readonly ? Gtf.READONLY : 0)));
    }

    /** What the toolstack lays out (VbdLayout), in one transaction. */
    private void layOut(String params, String mode) {
        xs.transaction(t -> {
            t.write(be + "/frontend", fe);
            t.write(be + "/frontend-id", Integer.toString(guest.domid()));
            t.write(be + "/online", "1");
            t.write(be + "/dev", "xvda");
            t.write(be + "/type", "phy");
            t.write(be + "/mode", mode);
            t.write(be + "/params", params);
            t.write(be + "/state", "1");
            t.write(fe + "/backend", be);
            t.write(fe + "/backend-id", "0");
            t.write(fe + "/virtual-device", Integer.toString(DEVID));
            t.write(fe + "/state", "1");
            return null;
        });
    }

    private String read(String path) {
        try {
            return xs.readString(path);
        } catch (XenstoreException e) {
            return null;
        }
    }

    private void awaitState(String dirPath, XenbusState s) {
        TestHost.await(() -> String.valueOf(s.number()).equals(read(dirPath + "/state")), 10_000,
                dirPath + " in state " + s);
    }

    /** The frontend's part up to Initialised; returns its port. */
    private int frontendInitialises(String features) {
        grant(DESC_REF, DESC_GFN, true);
        grant(AVAIL_REF, AVAIL_GFN, true);
        grant(USED_REF, USED_GFN, false);
        grant(REQ_REF, REQ_GFN, false);
        grant(DATA_REF, DATA_GFN, false);
        grant(DATA_REF + 1, DATA_GFN + 1, false);
        int port = dom0.platform().events().allocUnbound(guest.domid(), 0, "test vbd frontend");
        xs.transaction(t -> {
            t.write(fe + "/virtio-driver-features", features);
            t.write(fe + "/queue-0/size", Integer.toString(QSIZE));
            t.write(fe + "/queue-0/desc-ref", Integer.toString(DESC_REF));
            t.write(fe + "/queue-0/avail-ref", Integer.toString(AVAIL_REF));
            t.write(fe + "/queue-0/used-ref", Integer.toString(USED_REF));
            t.write(fe + "/event-channel", Integer.toString(port));
            t.write(fe + "/state", "3");
            return null;
        });
        return port;
    }

    private DriverQueue ring() {
        return DriverQueue.create(gm, new VirtqueueLayout(QSIZE, Page.addressOf(DESC_GFN), Page.addressOf(AVAIL_GFN),
                Page.addressOf(USED_GFN)), true);
    }

    /** One request through the ring; its status. */
    private int request(DriverQueue q, int port, int type, long sector, int dataBytes) throws Exception {
        gm.write(Page.addressOf(REQ_GFN), new VirtioBlkRequestHeader(type, 0, sector).encode());
        gm.putByte(Page.addressOf(REQ_GFN) + 64, (byte) 0xff);
        DriverBuffer header = new DriverBuffer(GrantDmaAddress.encode(REQ_REF, 0), 16);
        DriverBuffer status = new DriverBuffer(GrantDmaAddress.encode(REQ_REF, 64), 1);
        DriverBuffer data = new DriverBuffer(GrantDmaAddress.encode(DATA_REF, 0), dataBytes);
        boolean out = type == VirtioBlkRequestType.OUT;
        int head = dataBytes == 0 ? q.add(List.of(header), List.of(status))
                : out ? q.add(List.of(header, data), List.of(status)) : q.add(List.of(header), List.of(data, status));
        q.publish();
        if (q.kickNeeded()) {
            new EvtchnSend(port).write(gm, SCRATCH);
            assertEquals(0, guestHypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.SEND, SCRATCH, 0));
        }
        UsedElement[] used = new UsedElement[1];
        TestHost.await(() -> {
            try {
                used[0] = q.reclaim();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return used[0] != null;
        }, 10_000, "request " + head + " to be used");
        assertEquals(head, used[0].id());
        return Byte.toUnsignedInt(gm.getByte(Page.addressOf(REQ_GFN) + 64));
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + 1);
        }
        return b;
    }

    @Test
    void handshakeIoAndTeardownLeaveNoPinMappingOrPort() throws Exception {
        Path img = dir.resolve("disk.img");
        Files.write(img, new byte[1 << 20]);
        layOut(img.toString(), "w");
        awaitState(be, XenbusState.INIT_WAIT);
        assertEquals("2", read(be + "/virtio-device-id"));
        assertEquals("256", read(be + "/virtio-queue-max-size"));
        long offered = Long.parseUnsignedLong(read(be + "/virtio-device-features"), 16);
        assertEquals(VirtioBlkOffer.of(1 << 20, false).features(), offered);
        assertEquals(2048, VirtioBlkConfig.decode(HexFormat.of().parseHex(read(be + "/virtio-config"))).capacity());

        int port = frontendInitialises(Long.toHexString(offered));
        awaitState(be, XenbusState.CONNECTED);
        DriverQueue q = ring();
        byte[] data = pattern(8192);
        gm.write(Page.addressOf(DATA_GFN), data);
        assertEquals(VirtioBlkStatus.OK, request(q, port, VirtioBlkRequestType.OUT, 4, 8192));
        assertArrayEquals(data, java.util.Arrays.copyOfRange(Files.readAllBytes(img), 2048, 2048 + 8192));
        gm.fill(Page.addressOf(DATA_GFN), 8192, (byte) 0);
        assertEquals(VirtioBlkStatus.OK, request(q, port, VirtioBlkRequestType.IN, 4, 8192));
        assertArrayEquals(data, gm.readBytes(Page.addressOf(DATA_GFN), 8192));
        assertEquals(VirtioBlkStatus.OK, request(q, port, VirtioBlkRequestType.FLUSH, 0, 0));
        assertTrue(guest.grantTable().totalPins() > 0);
        long hypercallsBefore = driver.device(guest.domid(), DEVID).device().counters().get(BlkbackCounters.Event.OK);
        assertEquals(3, hypercallsBefore);

        // Steady state: the same pages again map nothing new.
        int mapped = driver.device(guest.domid(), DEVID).grants().size();
        assertEquals(VirtioBlkStatus.OK, request(q, port, VirtioBlkRequestType.IN, 0, 8192));
        assertEquals(mapped, driver.device(guest.domid(), DEVID).grants().size());

        // The toolstack detaches: online 0, Closing; the backend drains, releases and writes Closed.
        xs.transaction(t -> {
            t.write(be + "/online", "0");
            t.write(be + "/state", "5");
            return null;
        });
        awaitState(be, XenbusState.CLOSED);
        assertEquals(0, guest.grantTable().totalPins(), "every grant unmapped");
        assertEquals(0, dom0.host().dom0().grantTable().mappings(), "dom0 holds no mapping");
        assertEquals(EvtchnOp.STAT_UNBOUND, dom0.platform().events().status(guest.domid(), port).status(),
                "dom0's end is closed: the guest's port is unbound again");
        assertEquals(VbdBackend.Phase.CLOSED, driver.device(guest.domid(), DEVID) == null ? VbdBackend.Phase.CLOSED
                : driver.device(guest.domid(), DEVID).phase());
    }

    @Test
    void anUngrantedRefIsABadChainOverRealGrantsAndTheDeviceCarriesOn() throws Exception {
        layOut("null:1M", "w");
        awaitState(be, XenbusState.INIT_WAIT);
        int port = frontendInitialises(read(be + "/virtio-device-features"));
        awaitState(be, XenbusState.CONNECTED);
        DriverQueue q = ring();
        gm.write(Page.addressOf(REQ_GFN), new VirtioBlkRequestHeader(VirtioBlkRequestType.IN, 0, 0).encode());
        gm.putByte(Page.addressOf(REQ_GFN) + 64, (byte) 0xff);
        int head = q.add(List.of(new DriverBuffer(GrantDmaAddress.encode(REQ_REF, 0), 16)),
                List.of(new DriverBuffer(GrantDmaAddress.encode(40, 0), 512), // ref 40: never granted
                        new DriverBuffer(GrantDmaAddress.encode(REQ_REF, 64), 1)));
        q.publish();
        new EvtchnSend(port).write(gm, SCRATCH);
        assertEquals(0, guestHypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.SEND, SCRATCH, 0));
        UsedElement[] used = new UsedElement[1];
        TestHost.await(() -> {
            try {
                used[0] = q.reclaim();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return used[0] != null;
        }, 10_000, "the bad chain to be returned");
        assertEquals(new UsedElement(head, 0), used[0]);
        assertEquals(0xff, Byte.toUnsignedInt(gm.getByte(Page.addressOf(REQ_GFN) + 64)), "no status in a refused chain");
        assertEquals(1, driver.device(guest.domid(), DEVID).counters().get(BlkbackCounters.Event.BAD_CHAIN));
        assertEquals(VirtioBlkStatus.OK, request(q, port, VirtioBlkRequestType.IN, 0, 512));
    }

    @Test
    void closingTheDriverReleasesEveryDevice() throws Exception {
        layOut("null:1M", "w");
        awaitState(be, XenbusState.INIT_WAIT);
        int port = frontendInitialises(read(be + "/virtio-device-features"));
        awaitState(be, XenbusState.CONNECTED);
        assertEquals(VirtioBlkStatus.OK, request(ring(), port, VirtioBlkRequestType.IN, 0, 512));
        assertTrue(guest.grantTable().totalPins() > 0);
        driver.close(); // as dom0 stopping
        assertEquals(0, guest.grantTable().totalPins());
        assertEquals(0, dom0.host().dom0().grantTable().mappings());
        assertEquals(EvtchnOp.STAT_UNBOUND, dom0.platform().events().status(guest.domid(), port).status());
    }

    @Test
    void aBrokenRingSetsDeviceNeedsResetAndVirtioError() throws Exception {
        layOut("null:1M", "w");
        awaitState(be, XenbusState.INIT_WAIT);
        int port = frontendInitialises(read(be + "/virtio-device-features"));
        awaitState(be, XenbusState.CONNECTED);
        DriverQueue q = ring();
        assertEquals(VirtioBlkStatus.OK, request(q, port, VirtioBlkRequestType.IN, 0, 512));
        gm.putShortRelease(Page.addressOf(AVAIL_GFN) + 2, (short) 100); // avail idx jumps by far more than 8
        new EvtchnSend(port).write(gm, SCRATCH);
        assertEquals(0, guestHypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.SEND, SCRATCH, 0));
        TestHost.await(() -> "64".equals(read(be + "/virtio-device-status")), 10_000, "DEVICE_NEEDS_RESET");
        assertTrue(read(be + "/virtio-error").contains("available idx"), read(be + "/virtio-error"));
        assertEquals(1, driver.device(guest.domid(), DEVID).counters().get(BlkbackCounters.Event.NEEDS_RESET));
    }

    @Test
    void aSetupWithoutAccessPlatformIsRefused() throws Exception {
        layOut("null:1M", "r");
        awaitState(be, XenbusState.INIT_WAIT);
        long offered = Long.parseUnsignedLong(read(be + "/virtio-device-features"), 16);
        assertTrue((offered & 1L << org.hvsim.virtio.blk.VirtioBlkFeature.RO) != 0, "RO offered for mode=r");
        frontendInitialises(Long.toHexString(offered & ~(1L << org.hvsim.virtio.VirtioFeature.ACCESS_PLATFORM)));
        awaitState(be, XenbusState.CLOSING);
        assertTrue(read(be + "/virtio-error").contains("ACCESS_PLATFORM"), read(be + "/virtio-error"));
        assertEquals(0, guest.grantTable().totalPins());
    }

    @Test
    void anImageThatCannotBeOpenedIsRefused() {
        layOut(dir.resolve("missing.img").toString(), "w");
        awaitState(be, XenbusState.CLOSING);
        assertNotNull(read(be + "/virtio-error"));
    }

    @Test
    void aDestroyedDomainsDeviceIsTornDownAndTheDomainReaped() throws Exception {
        layOut("null:1M", "w");
        awaitState(be, XenbusState.INIT_WAIT);
        int port = frontendInitialises(read(be + "/virtio-device-features"));
        awaitState(be, XenbusState.CONNECTED);
        assertEquals(VirtioBlkStatus.OK, request(ring(), port, VirtioBlkRequestType.IN, 0, 512));
        // As the toolstack's destroy: the disk directories go, then the domain.
        xs.rm(BlkbackDriver.ROOT + "/" + guest.domid());
        xs.rm("/local/domain/" + guest.domid());
        int domid = guest.domid();
        xc.destroyDomain(domid);
        TestHost.await(() -> dom0.host().hv().domains().find(domid) == null, 10_000,
                "the domain to be reaped once the backend unmapped its grants");
        assertEquals(0, dom0.host().dom0().grantTable().mappings());
        TestHost.await(() -> driver.size() == 0, 10_000, "the backend to forget the device");
    }
}
