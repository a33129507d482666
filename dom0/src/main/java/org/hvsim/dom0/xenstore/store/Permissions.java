package org.hvsim.dom0.xenstore.store;

import java.util.List;

/**
 * XenStore's access rule ({@code perm_for_conn()}): privileged callers and the owner get everything;
 * a domain listed after the owner gets that entry's access; every other domain gets the owner entry's
 * letter. Entries marked {@link XsPermission#IGNORE} grant nothing.
 */
public final class Permissions {
    public static final int ALL = XsPermission.READ | XsPermission.WRITE | XsPermission.OWNER;

    private Permissions() {}

    /** What domain {@code domid} may do with a node whose list is {@code perms}. */
    public static int forDomain(List<XsPermission> perms, int domid, boolean privileged) {
        if (privileged || perms.getFirst().domid() == domid) {
            return ALL;
        }
        for (int i = 1; i < perms.size(); i++) {
            XsPermission p = perms.get(i);
            if (!p.ignored() && p.domid() == domid) {
                return p.access();
            }
        }
        return perms.getFirst().access();
    }

    /** Whether {@code granted} includes every bit of {@code wanted}. */
    public static boolean allows(int granted, int wanted) {
        return (granted & wanted) == wanted;
    }
}
