package org.hvsim.dom0.toolstack;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.dom0.xenstore.XenstoreClient;
import org.hvsim.dom0.xenstore.XenstoreOps;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.xenbus.XenbusState;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.hvsim.proto.control.DiskSpec;

/**
 * A disk's xenstore directories as libxl lays them out (libxl_disk.c {@code device_disk_add} and
 * {@code libxl__device_generic_add}): the frontend {@code /local/domain/<domid>/device/vbd/<devid>}
 * (the guest's, readable by the backend), the backend {@code /local/domain/0/backend/vbd/<domid>/<devid>}
 * (dom0's, readable by the guest), both in state Initialising (1), and the toolstack's bookkeeping
 * {@code /libxl/<domid>/device/vbd/<devid>/{frontend,backend}}; {@code devid} is the vdev's device number
 * (xvda = 51712). What {@code xl block-list} shows is read back from them ({@code libxl_device_disk_getinfo}).
 */
public final class VbdLayout {
    static final String KIND = "vbd";

    private VbdLayout() {}

    /** One disk as {@code libxl_diskinfo} has it: -1 for a value its node does not (yet) hold. */
    public record Info(int devid, String vdev, int backendId, int frontendId, int state, int evtchn, int ringRef,
                String backendPath) {}

    static String frontendPath(int domid, int devid) {
        return XenstoreLayout.domainPath(domid) + "/device/" + KIND + "/" + devid;
    }

    static String backendPath(int domid, int devid) {
        return XenstoreLayout.domainPath(DomId.DOM0) + "/backend/" + KIND + "/" + domid + "/" + devid;
    }

    static String libxlPath(int domid, int devid) {
        return XenstoreLayout.libxlPath(domid) + "/device/" + KIND + "/" + devid;
    }

    /** Lays out disk {@code d} of {@code domid} (in the caller's transaction). */
    static void addIn(XenstoreOps t, int domid, DiskSpec d) {
        int devid = d.getVirtualDevice();
        String fe = frontendPath(domid, devid);
        String be = backendPath(domid, devid);
        String libxl = libxlPath(domid, devid);
        List<XsPermission> frontPerms = List.of(new XsPermission(domid, XsPermission.NONE),
                new XsPermission(DomId.DOM0, XsPermission.READ));
        List<XsPermission> backPerms = List.of(new XsPermission(DomId.DOM0, XsPermission.NONE),
                new XsPermission(domid, XsPermission.READ));
        rm(t, fe);
        rm(t, be);
        t.mkdir(fe);
        t.setPerms(fe, frontPerms);
        t.mkdir(be);
        t.setPerms(be, backPerms);
        t.write(be + "/frontend", fe);
        t.write(be + "/frontend-id", Integer.toString(domid));
        t.write(be + "/online", "1");
        t.write(be + "/removable", d.getCdrom() ? "1" : "0");
        t.write(be + "/bootable", "1");
        t.write(be + "/state", Integer.toString(XenbusState.INITIALISING.number()));
        t.write(be + "/dev", d.getVdev());
        t.write(be + "/type", d.getBackendType().isEmpty() ? "phy" : d.getBackendType());
        t.write(be + "/mode", d.getReadwrite() ? "w" : "r");
        t.write(be + "/device-type", d.getCdrom() ? "cdrom" : "disk");
        t.write(be + "/params", d.getTarget());
        t.write(be + "/discard-enable", d.hasDiscard() && !d.getDiscard() ? "0" : "1");
        t.write(be + "/specification", d.getSpecification().isEmpty() ? "xen" : d.getSpecification());
        t.write(fe + "/backend", be);
        t.write(fe + "/backend-id", Integer.toString(DomId.DOM0));
        t.write(fe + "/state", Integer.toString(XenbusState.INITIALISING.number()));
        t.write(fe + "/virtual-device", Integer.toString(devid));
        t.write(fe + "/device-type", d.getCdrom() ? "cdrom" : "disk");
        t.write(fe + "/trusted", d.hasTrusted() && !d.getTrusted() ? "0" : "1");
        t.write(libxl + "/frontend", fe);
        t.write(libxl + "/backend", be);
    }

    /** Every disk of {@code domid} the toolstack laid out, in devid order, as xl block-list shows it. */
    static List<Info> list(XenstoreClient xs, int domid) {
        List<Info> out = new ArrayList<>();
        List<String> devids;
        try {
            devids = xs.directory(XenstoreLayout.libxlPath(domid) + "/device/" + KIND);
        } catch (XenstoreException e) {
            if (e.error() == XsdError.ENOENT) {
                return out;
            }
            throw e;
        }
        for (String id : devids.stream().sorted((a, b) -> Long.compare(number(a), number(b))).toList()) {
            int devid = (int) number(id);
            String fe = readOrNull(xs, libxlPath(domid, devid) + "/frontend");
            String be = readOrNull(xs, libxlPath(domid, devid) + "/backend");
            if (fe == null || be == null) {
                continue;
            }
            out.add(new Info(devid, String.valueOf(readOrNull(xs, be + "/dev")), intOr(readOrNull(xs, fe + "/backend-id")),
                    domid, intOr(readOrNull(xs, fe + "/state")), intOr(readOrNull(xs, fe + "/event-channel")),
                    ringRef(xs, fe), be));
        }
        return out;
    }

    /**
     * The frontend's ring-ref: blkif's {@code ring-ref}, or for hvsim's virtio transport the first grant ref of
     * its queue's descriptor table ({@code queue-0/desc-ref}); -1 while neither is written.
     */
    private static int ringRef(XenstoreClient xs, String fe) {
        String ring = readOrNull(xs, fe + "/ring-ref");
        return intOr(ring != null ? ring : readOrNull(xs, fe + "/queue-0/desc-ref"));
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** C's {@code strtoul(val, NULL, 10)} of a node, or -1 for none, as libxl_device_disk_getinfo reads them. */
    private static int intOr(String v) {
        if (v == null) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length() && Character.isDigit(v.charAt(i)) && n <= Integer.MAX_VALUE; i++) {
            n = n * 10 + (v.charAt(i) - '0');
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private static String readOrNull(XenstoreClient xs, String path) {
        try {
            return xs.readString(path);
        } catch (XenstoreException e) {
            if (e.error() == XsdError.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The devid of disk {@code device} of {@code domid} ({@code libxl_devid_to_device_disk}): a device number,
     * or a vdev name one of its disks has; -1 if it has none such.
     */
    static int find(XenstoreClient xs, int domid, String device) {
        for (Info d : list(xs, domid)) {
            if (Integer.toString(d.devid()).equals(device) || d.vdev().equals(device)) {
                return d.devid();
            }
        }
        return -1;
    }

    /** libxl__device_destroy: the disk's frontend, backend and bookkeeping directories go (in the caller's transaction). */
    static void removeIn(XenstoreOps t, int domid, int devid) {
        rm(t, frontendPath(domid, devid));
        rm(t, backendPath(domid, devid));
        rm(t, libxlPath(domid, devid));
    }

    /** Removes every disk directory of {@code domid} (its backends in dom0's tree; the rest go with the domain). */
    static void removeAllIn(XenstoreOps t, int domid) {
        rm(t, XenstoreLayout.domainPath(DomId.DOM0) + "/backend/" + KIND + "/" + domid);
    }

    private static void rm(XenstoreOps t, String path) {
        try {
            t.rm(path);
        } catch (XenstoreException e) {
            if (e.error() != XsdError.ENOENT) {
                throw e;
            }
        }
    }
}
