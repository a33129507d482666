package org.hvsim.dom0.toolstack;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hvsim.dom0.xen.Dom0Platform;
import org.hvsim.dom0.xen.ForeignMapping;
import org.hvsim.dom0.xenstore.DomainIntroducer;
import org.hvsim.dom0.xenstore.IntroducedRing;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * dom0's side of each domU's xenstore ring for xenstored (what C xenstored does with
 * {@code xengnttab_map_grant_ref} and {@code xenevtchn_bind_interdomain} at INTRODUCE): maps the store page
 * with a foreign mapping and binds an interdomain event channel to the domain's store port, the way
 * xenconsoled does for the console. The domain builder registers each domain's store frame (guest frame
 * to machine frame) here; an INTRODUCE naming any other frame is refused with EINVAL.
 * Threads: {@link #register}/{@link #forget} from toolstack threads; {@link #map} on xenstored's thread;
 * the unmap action on xenstored's thread.
 */
public final class StoreRings implements DomainIntroducer {
    private final Dom0Platform platform;
    private final Map<Integer, Frame> frames = new ConcurrentHashMap<>();
    private final Map<Integer, Long> ptFrames = new ConcurrentHashMap<>();

    private record Frame(long gfn, long mfn) {}

    public StoreRings(Dom0Platform platform) {
        this.platform = platform;
    }

    /** Domain {@code domid}'s store page is guest frame {@code gfn}, backed by machine frame {@code mfn}. */
    public void register(int domid, long gfn, long mfn) {
        frames.put(domid, new Frame(gfn, mfn));
    }

    /** Forgets domain {@code domid}'s store page (it is being destroyed). */
    public void forget(int domid) {
        frames.remove(domid);
    }

    /** dom0's page-table frame holding the current mapping of {@code domid}'s store page, or 0. */
    public long ptFrame(int domid) {
        return ptFrames.getOrDefault(domid, 0L);
    }

    @Override
    public IntroducedRing map(int domid, long gfn, int port, Runnable onEvent) {
        Frame f = frames.get(domid);
        if (f == null || f.gfn() != gfn) {
            throw new XenstoreException(XsdError.EINVAL, "domain " + domid + " has no store page at frame " + gfn);
        }
        ForeignMapping page;
        try {
            page = platform.foreign().map(domid, new long[] {f.mfn()}, 0);
        } catch (RuntimeException e) {
            throw new XenstoreException(XsdError.EINVAL, "cannot map the store page of domain " + domid + ": "
                    + e.getMessage());
        }
        int local;
        try {
            local = platform.events().bindInterdomain(domid, port, "xenstore", p -> onEvent.run());
        } catch (RuntimeException e) {
            page.close();
            throw new XenstoreException(XsdError.EINVAL, "cannot bind the store port " + port + " of domain " + domid
                    + ": " + e.getMessage());
        }
        ptFrames.put(domid, page.ptFrame());
        return new IntroducedRing(page.memory(), () -> notifyQuietly(local), () -> unmap(domid, local, page));
    }

    private void notifyQuietly(int local) {
        try {
            platform.events().notify(local);
        } catch (RuntimeException e) {
            // The domain is gone: its end was closed by the hypervisor; nobody is left to signal.
        }
    }

    private void unmap(int domid, int local, ForeignMapping page) {
        try {
            platform.events().close(local);
        } catch (RuntimeException e) {
            // The domain is already gone: the hypervisor closed its end.
        }
        page.close();
        ptFrames.remove(domid, page.ptFrame());
    }
}
