package org.hvsim.dom0.xenstore.core;

/**
 * Makes the ring connection of a domain being introduced: maps its store page and binds its event
 * channel ({@code map_interface()}, {@code xenevtchn_bind_interdomain()} in C xenstored).
 */
@FunctionalInterface
public interface DomainConnector {

    /**
     * @param domain the domain being introduced
     * @param gfn the store page's frame number as the INTRODUCE request gave it
     * @param port the domain's end of its store event channel
     * @return the domain's connection (not yet registered)
     * @throws org.hvsim.dom0.xenstore.store.XenstoreException with the error for the requester if the page
     *     cannot be mapped or the port bound
     */
    Connection connect(Domain domain, long gfn, int port);
}
