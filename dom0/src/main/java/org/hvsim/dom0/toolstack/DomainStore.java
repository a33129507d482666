package org.hvsim.dom0.toolstack;

import java.util.List;
import java.util.UUID;
import org.hvsim.dom0.xenstore.XenstoreClient;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.hv.abi.xenstore.XsdSockmsgType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The toolstack's dealings with xenstored for one domain at a time, as libxl's: lay the domain's nodes out
 * and INTRODUCE its ring before it first runs, set its quotas, tell xenstored of shutdowns (VIRQ_DOM_EXC),
 * remove its nodes and RELEASE it on destroy, and write {@code ~/control/shutdown} and
 * {@code ~/memory/target} requests. Threads: any but xenstored's.
 */
final class DomainStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DomainStore.class);

    private final Xenstored xenstored;
    private final StoreRings rings;
    private final XenstoreClient xs;

    DomainStore(Xenstored xenstored, StoreRings rings) {
        this.xenstored = xenstored;
        this.rings = rings;
        this.xs = xenstored.client();
    }

    XenstoreClient client() {
        return xs;
    }

    /**
     * Before {@code m} first runs (libxl__build_post): its nodes in one transaction, its xenstore_quota, then
     * INTRODUCE of its ring (which xenstored maps through {@link StoreRings}).
     */
    void introduce(ManagedDomain m) {
        DomainSpec spec = m.spec();
        XenstoreLayout.write(xs, XenstoreLayout.Facts.of(m.domid(), spec, m.storeGuestPort(), m.consoleGuestPort(),
                m.startTime() * 1000));
        addDisks(m.domid(), spec.config().getDisksList());
        connect(m);
    }

    /** Sets {@code m}'s quotas and introduces its ring (its nodes are in place). */
    void connect(ManagedDomain m) {
        List<String> quota = m.spec().config().getXenstoreQuotaList();
        if (!quota.isEmpty()) {
            xenstored.setQuotas(m.domid(), quota);
        }
        rings.register(m.domid(), DomainLayout.STORE_PFN, m.storeMfn());
        xs.raw(XsdSockmsgType.XS_INTRODUCE, 0, XsPayload.cStrings(List.of(Integer.toString(m.domid()),
                Long.toString(DomainLayout.STORE_PFN), Integer.toString(m.storeGuestPort()))));
        m.setStorePtPfn(rings.ptFrame(m.domid()));
    }

    /**
     * Everything of domain {@code domid} goes from xenstored: its nodes ({@code /local/domain/N},
     * {@code /vm/<uuid>}, {@code /libxl/N}), then the domain itself (RELEASE: its watches, transactions and
     * ring). Failures are logged: a destroy goes on regardless.
     */
    void remove(int domid, UUID uuid) {
        try {
            xs.transaction(t -> {
                VbdLayout.removeAllIn(t, domid);
                return null;
            });
            XenstoreLayout.remove(xs, domid, uuid);
        } catch (RuntimeException e) {
            LOG.warn("cannot remove the xenstore nodes of domain {}: {}", domid, e.getMessage());
        }
        release(domid);
    }

    /** RELEASE of domain {@code domid} if xenstored knows it. */
    void release(int domid) {
        try {
            xenstored.release(domid);
        } catch (XenstoreException e) {
            if (e.error() != XsdError.ENOENT) {
                LOG.warn("xenstored cannot release domain {}: {}", domid, e.getMessage());
            }
        } catch (IllegalStateException e) {
            LOG.debug("xenstored is closed; domain {} not released", domid);
        }
        rings.forget(domid);
    }

    /** VIRQ_DOM_EXC: domain {@code domid} has shut down or is dying (fires {@code @releaseDomain} once). */
    void domainShutdown(int domid) {
        try {
            xenstored.domainShutdown(domid);
        } catch (IllegalStateException e) {
            LOG.debug("xenstored is closed; shutdown of domain {} not reported", domid);
        }
    }

    void rename(int domid, String newName) {
        XenstoreLayout.rename(xs, domid, newName);
    }

    void preserve(int domid, String newName, UUID newUuid) {
        XenstoreLayout.preserve(xs, domid, newName, newUuid);
    }

    /** Whether the guest advertises {@code control/feature-<command>} ({@code "1"}). */
    boolean hasControlFeature(int domid, String command) {
        try {
            return "1".equals(xs.readString(XenstoreLayout.domainPath(domid) + "/control/feature-" + command));
        } catch (XenstoreException e) {
            if (e.error() == XsdError.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /**
     * libxl__domain_pvcontrol_write: writes {@code command} to {@code ~/control/shutdown} in a transaction
     * that requires the node to exist.
     *
     * @throws XenstoreException ENOENT if the domain has no {@code control/shutdown}
     */
    void controlShutdown(int domid, String command) {
        String path = XenstoreLayout.domainPath(domid) + "/control/shutdown";
        xs.transaction(t -> {
            t.read(path);
            t.write(path, command);
            return null;
        });
    }

    /** libxl__add_disks: each disk's frontend, backend and bookkeeping directories, in one transaction. */
    void addDisks(int domid, java.util.List<org.hvsim.proto.control.DiskSpec> disks) {
        if (disks.isEmpty()) {
            return;
        }
        xs.transaction(t -> {
            for (org.hvsim.proto.control.DiskSpec d : disks) {
                VbdLayout.addIn(t, domid, d);
            }
            return null;
        });
    }

    /** Removes disk {@code devid} of {@code domid}: its three directories, in one transaction. */
    void removeDisk(int domid, int devid) {
        xs.transaction(t -> {
            VbdLayout.removeIn(t, domid, devid);
            return null;
        });
    }

    /** libxl__initiate_device_generic_remove: the backend told to close ({@code online=0}, state Closing). */
    void closeDisk(int domid, int devid) {
        String be = VbdLayout.backendPath(domid, devid);
        xs.transaction(t -> {
            t.write(be + "/online", "0");
            t.write(be + "/state", Integer.toString(org.hvsim.hv.abi.xenbus.XenbusState.CLOSING.number()));
            return null;
        });
    }

    /** The backend's state of disk {@code devid} once {@code until} holds, or -1 at the deadline. */
    int awaitDiskBackend(int domid, int devid, java.util.function.IntPredicate until, java.time.Duration timeout)
            throws InterruptedException {
        return BackendStateWait.await(xs, VbdLayout.backendPath(domid, devid), until, timeout);
    }

    /** What the backend of disk {@code devid} wrote to {@code virtio-error}, if anything (bounded). */
    String diskBackendError(int domid, int devid) {
        try {
            String e = xs.readString(VbdLayout.backendPath(domid, devid) + "/virtio-error");
            return e.length() > 200 ? e.substring(0, 200) + "..." : e;
        } catch (XenstoreException e) {
            return null;
        }
    }

    /** The devid disk {@code device} (a number or a vdev) of {@code domid} has, or -1. */
    int findDisk(int domid, String device) {
        return VbdLayout.find(xs, domid, device);
    }

    /** The disks of {@code domid} as xl block-list shows them. */
    java.util.List<VbdLayout.Info> disks(int domid) {
        return VbdLayout.list(xs, domid);
    }

    /** What the guest left in {@code data/workload-result}, if anything. */
    java.util.Optional<String> workloadResult(int domid) {
        try {
            return java.util.Optional.of(xs.readString(XenstoreLayout.domainPath(domid) + "/"
                    + org.hvsim.hv.abi.xenstore.WorkloadResult.NODE));
        } catch (XenstoreException e) {
            if (e.error() == XsdError.ENOENT) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    /** xl mem-set: {@code ~/memory/target} in KiB. */
    void writeMemoryTarget(int domid, long kb) {
        xs.write(XenstoreLayout.domainPath(domid) + "/memory/target", Long.toString(kb));
    }

    /** xl vcpu-set: vCPUs {@code 0..online-1} online, the rest of {@code maxVcpus} offline, in one transaction. */
    void writeVcpuAvailability(int domid, long online, int maxVcpus) {
        XenstoreLayout.writeVcpuAvailability(xs, domid, online, maxVcpus);
    }

    /** xl mem-max: {@code ~/memory/static-max} in KiB. */
    void writeStaticMax(int domid, long kb) {
        xs.write(XenstoreLayout.domainPath(domid) + "/memory/static-max", Long.toString(kb));
    }

    @Override
    public void close() {
        try {
            xs.close();
        } catch (IllegalStateException e) {
            LOG.debug("xenstored already closed");
        }
    }
}
