package org.hvsim.dom0.xenstore;

import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * Maps a domain's store page and binds its store event channel when a dom0 tool sends INTRODUCE over
 * the socket (the toolstack's own {@link Xenstored#introduce} call brings a mapped page instead). The
 * integrator implements it with a foreign mapping and dom0's event channel device. Called on xenstored's
 * dispatch thread; {@code onEvent} may be run from any thread.
 */
@FunctionalInterface
public interface DomainIntroducer {

    /**
     * @param domid the domain being introduced
     * @param gfn its store page frame, as INTRODUCE gave it
     * @param port the domain's end of its store event channel (bind an interdomain channel to it)
     * @param onEvent to be run whenever the bound channel fires (from any thread)
     * @return the mapped page, how to signal the guest, and how to undo both
     * @throws XenstoreException with the error INTRODUCE should return
     */
    IntroducedRing map(int domid, long gfn, int port, Runnable onEvent);

    /** The introducer used when none is configured: every INTRODUCE over the wire fails with EINVAL. */
    static DomainIntroducer none() {
        return (domid, gfn, port, onEvent) -> {
            throw new XenstoreException(XsdError.EINVAL, "xenstored cannot map domain pages here");
        };
    }
}
