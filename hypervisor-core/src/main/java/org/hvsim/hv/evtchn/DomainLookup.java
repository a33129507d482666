package org.hvsim.hv.evtchn;

/** Finds a domain by id. Threads: any; must be safe to call with event channel locks held. */
@FunctionalInterface
public interface DomainLookup {

    /** The domain with id {@code domid}, dying ones included, or {@code null} when there is none. */
    EvtchnDomain find(int domid);
}
