package org.hvsim.dom0.xenstore.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.dom0.xenstore.store.Store;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.hv.abi.DomId;

/**
 * The domains xenstored knows ({@code domhash}): dom0 from the start, every introduced domain, and every
 * domain a permission list names. Also the node accounting that follows ownership, and the rule that a
 * permission entry naming a domain younger than the node (or gone) grants nothing
 * ({@code domain_adjust_node_perms()}). Threads: the dispatch thread only.
 */
public final class Domains {
    private final Map<Integer, Domain> byId = new HashMap<>();
    private final Store store;
    private final QuotaTable quotas;
    private final IntPredicate exists;

    /**
     * @param exists whether the hypervisor has a domain with this id (C xenstored asks
     *     {@code xc_domain_getinfo}); consulted when a permission list names an unknown domain
     */
    Domains(Store store, QuotaTable quotas, IntPredicate exists) {
        this.store = store;
        this.quotas = quotas;
        this.exists = exists;
        Domain dom0 = new Domain(DomId.DOM0, 0, quotas);
        dom0.setIntroduced(null);
        byId.put(DomId.DOM0, dom0);
    }

    public Domain dom0() {
        return byId.get(DomId.DOM0);
    }

    /** The domain {@code domid}, or {@code null} if xenstored does not know it. */
    public Domain find(int domid) {
        return byId.get(domid);
    }

    /** The introduced domain {@code domid}, or {@code null}. */
    public Domain findIntroduced(int domid) {
        Domain d = byId.get(domid);
        return d != null && d.introduced() ? d : null;
    }

    /** The domain {@code domid}, learning of it if the hypervisor has it; {@code null} if it does not exist. */
    public Domain findOrAlloc(int domid) {
        Domain d = byId.get(domid);
        if (d == null && DomId.isReal(domid) && exists.test(domid)) {
            d = create(domid);
        }
        return d;
    }

    /** The domain {@code domid}, created if unknown (the caller knows it exists). */
    public Domain findOrCreate(int domid) {
        Domain d = byId.get(domid);
        return d != null ? d : create(domid);
    }

    /**
     * A new domain record, younger than every node written so far (C xenstored gives it the current
     * generation without incrementing, which lets a grant on the very last node written before a new
     * domain appeared pass to it; a fresh generation closes that gap).
     */
    private Domain create(int domid) {
        Domain d = new Domain(domid, store.nextGeneration(), quotas);
        byId.put(domid, d);
        return d;
    }

    /** Forgets domain {@code domid} (never dom0). */
    void remove(int domid) {
        if (domid != DomId.DOM0) {
            byId.remove(domid);
        }
    }

    public Collection<Domain> all() {
        return List.copyOf(byId.values());
    }

    /**
     * {@code node} with every non-owner entry marked ignored that names a domain which is unknown or
     * younger than the node: a new domain must not inherit a dead one's grants.
     */
    public Node adjustPerms(Node node) {
        List<XsPermission> perms = node.perms();
        List<XsPermission> adjusted = null;
        for (int i = 1; i < perms.size(); i++) {
            XsPermission p = perms.get(i);
            if (p.ignored()) {
                continue;
            }
            Domain d = byId.get(p.domid());
            if (d == null || d.generation() > node.generation()) {
                if (adjusted == null) {
                    adjusted = new ArrayList<>(perms);
                }
                adjusted.set(i, p.asIgnored());
            }
        }
        return adjusted == null ? node : node.withPerms(adjusted);
    }

    /** Charges a committed change of the node at {@code path} to its old and new owners. */
    void chargeNode(String path, Node old, Node neu) {
        if (old != null) {
            Domain d = byId.get(old.owner());
            if (d != null) {
                d.add(Quota.NODES, -1);
                d.add(Quota.MEMORY, -memoryOf(path, old));
            }
        }
        if (neu != null) {
            Domain d = findOrCreate(neu.owner());
            d.add(Quota.NODES, 1);
            d.add(Quota.MEMORY, memoryOf(path, neu));
        }
    }

    /** Charges the nodes of a freshly built store to their owners. */
    void chargeStartup(Store s) {
        s.snapshot().forEach((path, node) -> chargeNode(path, null, node));
    }

    /** The memory a node costs its owner: its accounted size plus its name. */
    static long memoryOf(String path, Node node) {
        return node.accountedSize() + path.length();
    }
}
