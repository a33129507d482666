package org.hvsim.hv.domain;

/** Xen's {@code is_dying}: alive, being destroyed (resources going away), or gone. */
public enum DomainState {
    ALIVE,
    DYING,
    DEAD
}
