package org.hvsim.dom0.xenstore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hvsim.dom0.xenstore.conn.GuestRing;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.dom0.xenstore.wire.XsMessage;
import org.hvsim.hv.abi.SegmentGuestMemory;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;

/**
 * xenstored's share of domain creation, as libxl drives it: one transaction writing the domain's nodes
 * ({@code /local/domain/N/...}, {@code /vm/<uuid>/...}) with libxl's permissions, then INTRODUCE, then
 * the guest's watch on {@code control/shutdown}. For the benchmark main.
 */
final class DomainCreation {
    private final Xenstored xs;
    private final XenstoreClient toolstack;
    private int nextDomid = 1;
    private final List<Integer> running = new ArrayList<>();

    DomainCreation(Xenstored xs) {
        this.xs = xs;
        this.toolstack = xs.client();
    }

    /** Creates domains until {@code n} run. */
    void runUntil(int n) {
        while (running.size() < n) {
            running.add(create());
        }
    }

    /**
     * Creates and destroys {@code samples} domains with {@code n} running (after as many unmeasured ones,
     * so the JIT has warmed up); returns a report line.
     */
    String measure(int n, int samples) {
        for (int i = 0; i < samples; i++) {
            destroy(create());
        }
        long[] ns = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            int domid = create();
            ns[i] = System.nanoTime() - t0;
            destroy(domid);
        }
        Arrays.sort(ns);
        return String.format(Locale.ROOT, "create with %4d domains running: p50 %6d us, p99 %6d us", n,
                ns[samples / 2] / 1000, ns[samples * 99 / 100] / 1000);
    }

    private int create() {
        int domid = nextDomid++;
        String dom = "/local/domain/" + domid;
        String vm = "/vm/00000000-0000-0000-0000-" + String.format(Locale.ROOT, "%012d", domid);
        List<XsPermission> roDomain = List.of(XsPermission.parse("n0"), XsPermission.parse("r" + domid));
        List<XsPermission> rwDomain = List.of(XsPermission.parse("n" + domid));
        toolstack.transaction(t -> {
            t.write(dom, "");
            t.setPerms(dom, roDomain);
            t.write(vm + "/uuid", vm.substring(4));
            t.write(vm + "/name", "guest" + domid);
            t.write(vm + "/start_time", "0");
            t.write(dom + "/vm", vm);
            t.write(dom + "/name", "guest" + domid);
            t.write(dom + "/domid", Integer.toString(domid));
            t.write(dom + "/memory/static-max", "262144");
            t.write(dom + "/memory/target", "262144");
            t.write(dom + "/cpu/0/availability", "online");
            for (String rw : new String[] {"data", "device", "control/shutdown", "control/feature-poweroff",
                    "control/feature-reboot", "control/sysrq"}) {
                t.mkdir(dom + "/" + rw);
                t.setPerms(dom + "/" + rw, rwDomain);
            }
            t.write(dom + "/console/port", "2");
            t.write(dom + "/console/ring-ref", "1");
            return null;
        });
        SegmentGuestMemory page = SegmentGuestMemory.allocate(4096);
        xs.introduce(domid, 1, 1, page, () -> {});
        GuestRing guest = new GuestRing(page);
        guest.send(XsMessage.of(XsdSockmsgType.XS_WATCH.number(), 1, 0, "control/shutdown\0shutdown\0".getBytes()));
        xs.eventArrived(domid);
        while (guest.receive().isEmpty()) {
            Thread.onSpinWait();
        }
        return domid;
    }

    private void destroy(int domid) {
        toolstack.rm("/local/domain/" + domid);
        toolstack.rm("/vm/00000000-0000-0000-0000-" + String.format(Locale.ROOT, "%012d", domid));
        xs.release(domid);
    }
}
