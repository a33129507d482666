package org.hvsim.hv.memory;

/** Finds domains by id for the memory hypercalls; the integrator's domain table implements it. */
@FunctionalInterface
public interface MemoryDomainLookup {
    /** The domain with real id {@code domid} (dying ones included), or null. */
    MemoryDomain find(int domid);
}
