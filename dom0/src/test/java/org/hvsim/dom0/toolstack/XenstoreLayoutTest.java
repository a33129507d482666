package org.hvsim.dom0.toolstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hvsim.dom0.xenstore.XenstoreClient;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.dom0.xenstore.conn.GuestRing;
import org.hvsim.dom0.xenstore.conn.XsSocketClient;
import org.hvsim.dom0.xenstore.core.Quota;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** libxl's layout of a domain in a real in-process xenstored, seen by dom0 and by the domain over its ring. */
class XenstoreLayoutTest {
    private static final long TIMEOUT_NS = 20_000_000_000L;
    private static final int DOMID = 3;
    private static final UUID UUID_A = UUID.fromString("6b2f0c7e-1d3a-4c55-9e0f-0123456789ab");

    private final Xenstored xs = Xenstored.builder().build();
    private final XenstoreClient c = xs.client();
    private int nextReq = 1;

    @AfterEach
    void close() {
        c.close();
        xs.close();
    }

    private static XenstoreLayout.Facts facts(int domid, String name, UUID uuid) {
        return new XenstoreLayout.Facts(domid, name, uuid, 65536, 32768, 2, 3, DomainLayout.STORE_PFN, 5,
                DomainLayout.CONSOLE_PFN, 4, "/k/minios.jar", "idle", 1_700_000_000_250L);
    }

    private static List<XsPermission> perms(String... p) {
        List<XsPermission> out = new ArrayList<>();
        for (String s : p) {
            out.add(XsPermission.parse(s));
        }
        return out;
    }

    /** One request from the guest over its ring; the reply's type name (or error) and text. */
    private String guest(GuestRing ring, XsdSockmsgType type, String... args) {
        List<String> parts = List.of(args);
        byte[] payload;
        if (type == XsdSockmsgType.XS_WRITE) {
            byte[] path = (parts.get(0) + "\0").getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = parts.get(1).getBytes(StandardCharsets.ISO_8859_1);
            payload = new byte[path.length + value.length];
            System.arraycopy(path, 0, payload, 0, path.length);
            System.arraycopy(value, 0, payload, path.length, value.length);
        } else {
            payload = org.hvsim.dom0.xenstore.wire.XsPayload.cStrings(parts);
        }
        int id = nextReq++;
        assertTrue(ring.send(XsMessage.of(type.number(), id, 0, payload)));
        xs.eventArrived(DOMID);
        long deadline = System.nanoTime() + TIMEOUT_NS;
        while (System.nanoTime() < deadline) {
            for (XsMessage m : ring.receive()) {
                if (m.header().reqId() == id && m.type() != XsdSockmsgType.XS_WATCH_EVENT.number()) {
                    return (m.type() == XsdSockmsgType.XS_ERROR.number() ? "ERROR " : "") + XsSocketClient.text(m);
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no reply to " + type);
    }

    @Test
    void theDomainIsLaidOutAsLibxlDoes() {
        XenstoreLayout.write(c, facts(DOMID, "guest", UUID_A));
        String dom = "/local/domain/3";
        String vm = "/vm/" + UUID_A;
        assertEquals("guest", c.readString(dom + "/name"));
        assertEquals("3", c.readString(dom + "/domid"));
        assertEquals(vm, c.readString(dom + "/vm"));
        assertEquals("65536", c.readString(dom + "/memory/static-max"));
        assertEquals("32768", c.readString(dom + "/memory/target"));
        assertEquals("0", c.readString(dom + "/memory/videoram"));
        assertEquals("online", c.readString(dom + "/cpu/0/availability"));
        assertEquals("online", c.readString(dom + "/cpu/1/availability"));
        assertEquals("offline", c.readString(dom + "/cpu/2/availability"));
        assertFalse(c.exists(dom + "/cpu/3"));
        assertEquals("5", c.readString(dom + "/store/port"));
        assertEquals("2", c.readString(dom + "/store/ring-ref"));
        assertEquals("4", c.readString(dom + "/console/port"));
        assertEquals("3", c.readString(dom + "/console/ring-ref"));
        assertEquals("xenconsoled", c.readString(dom + "/console/type"));
        assertEquals("1048576", c.readString(dom + "/console/limit"));
        assertEquals("", c.readString(dom + "/control/shutdown"));
        assertEquals("1", c.readString(dom + "/control/platform-feature-xs_reset_watches"));
        assertEquals(UUID_A.toString(), c.readString(vm + "/uuid"));
        assertEquals("guest", c.readString(vm + "/name"));
        assertEquals("1700000000.25", c.readString(vm + "/start_time"));
        assertEquals("/k/minios.jar", c.readString(vm + "/image/kernel"));
        assertEquals("idle", c.readString(vm + "/image/cmdline"));
        assertEquals("pv", c.readString("/libxl/3/type"));

        assertEquals(perms("n0", "r3"), c.getPerms(dom));
        assertEquals(perms("n0", "r3"), c.getPerms(dom + "/name"));
        assertEquals(perms("n0", "r3"), c.getPerms(dom + "/control"));
        assertEquals(perms("n0", "r3"), c.getPerms(vm));
        assertEquals(perms("n0"), c.getPerms("/libxl/3"));
        for (String own : List.of("control/shutdown", "control/feature-poweroff", "control/feature-reboot",
                "control/feature-suspend", "control/sysrq", "data", "drivers", "feature", "attr", "error",
                "device/suspend/event-channel")) {
            assertEquals(perms("n3"), c.getPerms(dom + "/" + own), own);
        }
    }

    @Test
    void theGuestReadsItsNodesWritesItsOwnAndNothingElse() {
        XenstoreLayout.write(c, facts(DOMID, "guest", UUID_A));
        SegmentGuestMemory page = SegmentGuestMemory.allocate(4096);
        xs.introduce(DOMID, DomainLayout.STORE_PFN, 5, page, () -> { });
        GuestRing ring = new GuestRing(page);
        assertEquals("guest", guest(ring, XsdSockmsgType.XS_READ, "name"));
        assertEquals("OK", guest(ring, XsdSockmsgType.XS_WRITE, "data/hello", "world"));
        assertEquals("OK", guest(ring, XsdSockmsgType.XS_WRITE, "control/feature-poweroff", "1"));
        assertEquals("ERROR EACCES", guest(ring, XsdSockmsgType.XS_WRITE, "name", "evil"));
        assertEquals("ERROR EACCES", guest(ring, XsdSockmsgType.XS_WRITE, "memory/target", "1"));
        assertEquals("ERROR EACCES", guest(ring, XsdSockmsgType.XS_READ, "/libxl/3/type"));
        assertEquals("ERROR EACCES", guest(ring, XsdSockmsgType.XS_READ, "/local/domain/0"));
        assertEquals("world", c.readString("/local/domain/3/data/hello"));
    }

    /** The committed values of vCPUs 0..2's availability, read on xenstored's own thread. */
    private List<String> committedAvailability() {
        return xs.withCore(core -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                out.add(new String(core.store().get(XenstoreLayout.vcpuAvailabilityPath(DOMID, i)).value(),
                        StandardCharsets.UTF_8));
            }
            return out;
        });
    }

    @Test
    void vcpuAvailabilityIsWrittenInOneTransactionSoAWatcherNeverSeesHalfOfIt() throws Exception {
        XenstoreLayout.write(c, facts(DOMID, "guest", UUID_A));   // vcpus 2 of maxvcpus 3
        assertEquals(List.of("online", "online", "offline"), committedAvailability());
        BlockingQueue<List<String>> seen = new LinkedBlockingQueue<>();
        try (XenstoreClient watcher = xs.client()) {
            watcher.watch(XenstoreLayout.domainPath(DOMID) + "/cpu", "cpu", (path, token) -> {
                if (path.endsWith("/availability")) {
                    seen.add(committedAvailability());
                }
            });
            XenstoreLayout.writeVcpuAvailability(c, DOMID, 3, 3);
            XenstoreLayout.writeVcpuAvailability(c, DOMID, 1, 3);
            List<List<String>> whole = List.of(List.of("online", "online", "online"),
                    List.of("online", "offline", "offline"));
            // Each commit fires one event per node written: 3 + 3. Written one at a time (no transaction), the
            // first event already finds the nodes between two states, e.g. [online, online, offline].
            for (int i = 0; i < 6; i++) {
                List<String> s = seen.poll(20, TimeUnit.SECONDS);
                assertTrue(whole.contains(s), "event " + i + " saw " + s);
            }
        }
        assertEquals(List.of("online", "offline", "offline"), committedAvailability());
    }

    @Test
    void removeAndReleaseLeaveNoNodeAndNoWatchOfTheDomain() throws Exception {
        XenstoreLayout.write(c, facts(DOMID, "guest", UUID_A));
        xs.setQuotas(DOMID, List.of("nodes=2000"));
        SegmentGuestMemory page = SegmentGuestMemory.allocate(4096);
        xs.introduce(DOMID, DomainLayout.STORE_PFN, 5, page, () -> { });
        GuestRing ring = new GuestRing(page);
        assertEquals("OK", guest(ring, XsdSockmsgType.XS_WATCH, "control/shutdown", "sd"));
        assertEquals("OK", guest(ring, XsdSockmsgType.XS_WRITE, "data/x", "1"));
        assertEquals(1L, (long) xs.withCore(core -> core.domains().find(DOMID).usage(Quota.WATCHES)));
        assertEquals(2000L, (long) xs.withCore(core -> core.domains().find(DOMID).hardLimit(Quota.NODES)));
        BlockingQueue<String> released = new LinkedBlockingQueue<>();
        c.watch("@releaseDomain", "rel", (p, t) -> released.add(p));
        assertEquals("@releaseDomain", released.poll(20, TimeUnit.SECONDS));

        XenstoreLayout.remove(c, DOMID, UUID_A);
        xs.release(DOMID);

        assertEquals("@releaseDomain", released.poll(20, TimeUnit.SECONDS));
        assertFalse(c.exists("/local/domain/3"));
        assertFalse(c.exists("/vm/" + UUID_A));
        assertFalse(c.exists("/libxl/3"));
        assertFalse(xs.isIntroduced(DOMID));
        assertNull(xs.withCore(core -> core.domains().find(DOMID)), "no watch, transaction or quota left");
        long owned = xs.withCore(core -> {
            long[] n = {0};
            core.store().snapshot().forEach((path, node) -> {
                if (node.owner() == DOMID) {
                    n[0]++;
                }
            });
            return n[0];
        });
        assertEquals(0, owned);
    }

    @Test
    void writingAgainReplacesWhatAnEarlierDomainLeft() {
        XenstoreLayout.write(c, facts(DOMID, "old", UUID_A));
        c.write("/local/domain/3/data/stale", "1");
        XenstoreLayout.write(c, facts(DOMID, "new", UUID_A));
        assertFalse(c.exists("/local/domain/3/data/stale"));
        assertEquals("new", c.readString("/vm/" + UUID_A + "/name"));
    }

    @Test
    void renameAndPreserveUpdateTheNames() {
        XenstoreLayout.write(c, facts(DOMID, "guest", UUID_A));
        XenstoreLayout.rename(c, DOMID, "renamed");
        assertEquals("renamed", c.readString("/local/domain/3/name"));
        assertEquals("renamed", c.readString("/vm/" + UUID_A + "/name"));
        UUID b = UUID.fromString("00000000-0000-0000-0000-00000000000b");
        XenstoreLayout.preserve(c, DOMID, "renamed-20250101T0000Z", b);
        assertEquals("renamed-20250101T0000Z", c.readString("/local/domain/3/name"));
        assertEquals("/vm/" + b, c.readString("/local/domain/3/vm"));
        assertEquals(b.toString(), c.readString("/vm/" + b + "/uuid"));
        assertEquals("idle", c.readString("/vm/" + b + "/image/cmdline"));
        XenstoreLayout.remove(c, DOMID, UUID_A);
        assertFalse(c.exists("/vm/" + b));
        assertFalse(c.exists("/vm/" + UUID_A));
    }
}
