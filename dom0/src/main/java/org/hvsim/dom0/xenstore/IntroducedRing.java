package org.hvsim.dom0.xenstore;

import java.util.Objects;
import org.hvsim.hv.abi.GuestMemory;

/**
 * A domain's mapped store ring, as a {@link DomainIntroducer} returns it.
 *
 * @param page the {@code xenstore_domain_interface} page at guest-physical address 0 of this memory
 * @param signal signals the domain's store event channel
 * @param unmap unbinds the channel and unmaps the page once xenstored stops serving the domain
 */
public record IntroducedRing(GuestMemory page, Runnable signal, Runnable unmap) {
    public IntroducedRing {
        Objects.requireNonNull(page);
        Objects.requireNonNull(signal);
        Objects.requireNonNull(unmap);
    }
}
