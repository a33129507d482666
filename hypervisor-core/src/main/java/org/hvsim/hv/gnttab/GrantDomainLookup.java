package org.hvsim.hv.gnttab;

/** Finds a domain by id. Threads: any; called with no grant table lock held. */
@FunctionalInterface
public interface GrantDomainLookup {

    /** The domain with id {@code domid}, dying ones included, or {@code null}. */
    GrantDomain find(int domid);
}
