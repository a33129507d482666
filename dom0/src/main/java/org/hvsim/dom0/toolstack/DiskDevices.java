package org.hvsim.dom0.toolstack;

import java.time.Duration;
import java.util.List;
import org.hvsim.hv.abi.xenbus.XenbusState;
import org.hvsim.proto.control.DiskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disks of running domains, added and removed as libxl does it ({@code libxl_device_disk_add},
 * {@code libxl_device_disk_remove} / {@code _destroy}): the directories go into xenstore, then the
 * toolstack waits (with a watch, up to the device timeout: libxl's 10 s) for the backend to take the disk
 * or to close it.
 *
 * <p>Threads: any (gRPC calls); the timeout is volatile, the rest is the store's.
 */
final class DiskDevices {
    private static final Logger LOG = LoggerFactory.getLogger(DiskDevices.class);

    private final DomainStore store;
    /** How long a backend has to answer (libxl's LIBXL_INIT_TIMEOUT and LIBXL_DESTROY_TIMEOUT). */
    private volatile Duration timeout = Duration.ofSeconds(10);

    DiskDevices(DomainStore store) {
        this.store = store;
    }

    void timeout(Duration newTimeout) {
        this.timeout = newTimeout;
    }

    /**
     * Lays out {@code disk} for {@code domid} and waits for its backend to take it (InitWait or Connected); a
     * backend that does not answer in time, or refuses the disk (Closing, with its {@code virtio-error}), gets
     * the disk's directories removed again and the attach fails.
     *
     * @throws ConfigException INVALID (no device number or target), ALREADY_EXISTS (a disk with its device
     *         number), FAILED_PRECONDITION (no backend took it)
     */
    void attach(int domid, DiskSpec disk) throws ConfigException {
        int devid = disk.getVirtualDevice();
        if (disk.getVdev().isEmpty() || devid <= 0) {
            throw ConfigException.invalid("disk", "the disk has no vdev naming a device number");
        }
        if (disk.getTarget().isEmpty() && !disk.getCdrom()) {
            throw ConfigException.invalid("disk", "no target specified (and device not removable)");
        }
        if (disk.getTarget().length() > 1024 || disk.getVdev().length() > 64) {
            throw ConfigException.invalid("disk", "the disk's target or vdev is too long");
        }
        if (store.findDisk(domid, Integer.toString(devid)) >= 0) {
            throw new ConfigException(ConfigException.Kind.ALREADY_EXISTS, "disk",
                    "device " + disk.getVdev() + " (" + devid + ") already exists in xenstore");
        }
        store.addDisks(domid, List.of(disk));
        Duration wait = timeout;
        int state = await(domid, devid, s -> s >= XenbusState.INIT_WAIT.number(), wait);
        if (state >= 0 && state < XenbusState.CLOSING.number()) {
            return;
        }
        String why = state < 0 ? "its backend did not answer within " + wait.toMillis() + " ms"
                : "the backend refused it" + backendError(domid, devid);
        store.removeDisk(domid, devid);
        throw new ConfigException(ConfigException.Kind.FAILED_PRECONDITION, "disk", "unable to add device with path "
                + VbdLayout.backendPath(domid, devid) + ": " + why);
    }

    /**
     * Tells the backend of {@code device} (a device number or a vdev) to close (online=0, Closing) and waits for
     * it to be Closed, up to the timeout, then removes the disk's directories; with {@code force}, at once.
     *
     * @throws ConfigException NOT_FOUND for a device the domain does not have ("Error: Device X not connected.")
     */
    void detach(int domid, String device, boolean force) throws ConfigException {
        int devid = store.findDisk(domid, device);
        if (devid < 0) {
            throw new ConfigException(ConfigException.Kind.NOT_FOUND, "disk", "Error: Device " + device
                    + " not connected.");
        }
        if (!force) {
            store.closeDisk(domid, devid);
            Duration wait = timeout;
            if (await(domid, devid, s -> s == XenbusState.CLOSED.number(), wait) < 0) {
                LOG.warn("the backend of vbd {} of domain {} did not close within {} ms; removing it anyway", devid,
                        domid, wait.toMillis());
            }
        }
        store.removeDisk(domid, devid);
    }

    private int await(int domid, int devid, java.util.function.IntPredicate until, Duration wait) {
        try {
            return store.awaitDiskBackend(domid, devid, until, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String backendError(int domid, int devid) {
        String why = store.diskBackendError(domid, devid);
        return why == null ? "" : ": " + why;
    }
}
