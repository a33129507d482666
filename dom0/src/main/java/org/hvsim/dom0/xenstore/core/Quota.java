package org.hvsim.dom0.xenstore.core;

import java.util.Optional;

/**
 * The per-domain quotas of C xenstored ({@code enum accitem} and {@code hard_quotas[]} in
 * {@code tools/xenstored/domain.c}), in its order, with its names, descriptions and defaults. They apply to
 * unprivileged domains only; a value of 0 means "no limit". Only {@code memory} has a soft quota (a
 * warning level).
 */
public enum Quota {
    NODES("nodes", "Nodes per domain", 1000, 0),
    WATCHES("watches", "Watches per domain", 128, 0),
    OUTSTANDING("outstanding", "Outstanding requests per domain", 20, 0),
    MEMORY("memory", "Total Xenstore memory per domain (error level)", 2 * 1024 * 1024 + 512 * 1024,
            2 * 1024 * 1024),
    TRANSACTIONS("transactions", "Active transactions per domain", 10, 0),
    TRANSACTION_NODES("transaction-nodes", "Max. number of accessed nodes per transaction", 1024, 0),
    NODE_PERMISSIONS("node-permissions", "Max. number of permissions per node", 5, 0),
    PATH_MAX("path-max", "Max. length of a node path", 2048, 0),
    NODE_SIZE("node-size", "Max. size of a node", 2048, 0);

    /** The description of memory's soft level in {@code quota-soft} output. */
    static final String SOFT_MEMORY_DESCRIPTION = "Total Xenstore memory per domain (warning level)";

    /** Prefix of a soft quota's name in {@code xenstore_quota} items, e.g. {@code soft-memory}. */
    public static final String SOFT_PREFIX = "soft-";

    private final String xsName;
    private final String description;
    private final long defaultHard;
    private final long defaultSoft;

    Quota(String xsName, String description, long defaultHard, long defaultSoft) {
        this.xsName = xsName;
        this.description = description;
        this.defaultHard = defaultHard;
        this.defaultSoft = defaultSoft;
    }

    /** The name xenstored uses ({@code nodes}, {@code transaction-nodes}, ...). */
    public String xsName() {
        return xsName;
    }

    public String description() {
        return description;
    }

    public long defaultHard() {
        return defaultHard;
    }

    /** The default soft (warning) level; 0 if this quota has none. */
    public long defaultSoft() {
        return defaultSoft;
    }

    /** Whether this quota has a soft level. */
    public boolean hasSoft() {
        return defaultSoft != 0;
    }

    /** The quota called {@code name}, if any. */
    public static Optional<Quota> named(String name) {
        for (Quota q : values()) {
            if (q.xsName.equals(name)) {
                return Optional.of(q);
            }
        }
        return Optional.empty();
    }
}
