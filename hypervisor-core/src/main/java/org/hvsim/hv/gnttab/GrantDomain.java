package org.hvsim.hv.gnttab;

/** A domain as the grant table code sees it. */
public interface GrantDomain {
    int domid();

    /** Whether the domain may operate on other domains' tables (dom0). */
    boolean isPrivileged();

    /** Whether the domain is being destroyed: it grants nothing new. */
    boolean isDying();

    GrantTable grantTable();
}
