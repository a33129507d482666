package org.hvsim.tools.xlcfg;

import java.util.Set;
import org.hvsim.proto.control.DiskSpec;

/**
 * What a DISKSPEC has said so far, with xl's rules for setting each parameter once (Xen's
 * {@code SAVESTRING} and {@code DSET}) and for filling the positional slots. Used by
 * {@link DiskSpecParser}; one per spec, not thread-safe.
 */
final class DiskSpecState {
    /** hvsim's device that stores nothing ({@code target=null:<size>}): not a path, so never put under /dev. */
    static final String NULL_TARGET = "null:";

    private static final Set<String> FORMATS = Set.of("raw", "qcow", "qcow2", "vhd", "empty", "qed");
    private static final Set<String> BACKEND_TYPES = Set.of("phy", "tap", "qdisk", "standalone");
    private static final Set<String> SPECIFICATIONS = Set.of("xen", "virtio");

    private final String spec;
    private final DiskSpec.Builder disk = DiskSpec.newBuilder().setReadwrite(true);
    private String target;
    private String format;
    private String vdev;
    private String backend;
    private String backendType;
    private String script;
    private String specification;
    private boolean hadDeprecatedPrefix;
    private boolean accessSet;

    DiskSpecState(String spec) {
        this.spec = spec;
        disk.setSpec(spec);
    }

    XlSpecException error(String what, String near) {
        StringBuilder message = new StringBuilder("config parsing error in disk specification: ").append(what);
        if (near != null) {
            message.append(": near `").append(XlText.printable(near)).append('\'');
        }
        return new XlSpecException(message.append(" in `").append(XlText.printable(spec)).append('\'').toString());
    }

    void deprecatedPrefix() {
        hadDeprecatedPrefix = true;
    }

    /** A bare item: the next free slot of target, format, vdev, access. */
    void positional(String item) throws XlSpecException {
        if (target == null) {
            saveTarget(item);
        } else if (!hadDeprecatedPrefix && format == null) {
            if (target.isEmpty() && vdevAndDevtype(item)) {
                format = "empty";
            } else {
                setFormat(item);
            }
        } else if (vdev == null) {
            if (!vdevAndDevtype(item)) {
                saveVdev(item);
            }
        } else if (!accessSet) {
            accessSet = true;
            setAccess(item);
        } else {
            throw error("too many positional parameters", item);
        }
    }

    /** The deprecated {@code <vdev>:<devtype>} form; false if {@code item} has no colon. */
    private boolean vdevAndDevtype(String item) throws XlSpecException {
        int colon = item.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        saveVdev(item.substring(0, colon));
        String type = item.substring(colon + 1);
        switch (type) {
            case "cdrom" -> setCdrom(true);
            case "disk" -> setCdrom(false);
            default -> throw error("unknown deprecated type", type);
        }
        return true;
    }

    void saveTarget(String value) throws XlSpecException {
        target = save("target", target, value);
    }

    void saveVdev(String value) throws XlSpecException {
        vdev = save("vdev", vdev, value);
    }

    void saveBackend(String value) throws XlSpecException {
        backend = save("backend", backend, value);
    }

    void saveScript(String value) throws XlSpecException {
        script = save("script", script, value);
    }

    private String save(String what, String current, String value) throws XlSpecException {
        if (current != null && !current.isEmpty()) {
            throw error(what + " respecified", value);
        }
        return value;
    }

    void setFormat(String value) throws XlSpecException {
        String name = value.isEmpty() ? "raw" : value;
        if (!FORMATS.contains(name)) {
            throw error("unknown value for format", value);
        }
        format = once("format", format, name, value);
    }

    void setBackendType(String value) throws XlSpecException {
        if (!BACKEND_TYPES.contains(value)) {
            throw error("unknown value for backendtype", value);
        }
        backendType = once("backend", backendType, value, value);
    }

    void setSpecification(String value) throws XlSpecException {
        if (!SPECIFICATIONS.contains(value)) {
            throw error("unknown value for specification", value);
        }
        specification = once("specification", specification, value, value);
    }

    private String once(String member, String current, String value, String near) throws XlSpecException {
        if (current != null && !current.equals(value)) {
            throw error(member + " respecified", near);
        }
        return value;
    }

    void setAccess(String value) throws XlSpecException {
        switch (value) {
            case "r", "ro" -> disk.setReadwrite(false);
            case "rw", "w", "" -> disk.setReadwrite(true);
            default -> throw error("unknown value for access", value);
        }
    }

    void setCdrom(boolean cdrom) {
        disk.setCdrom(cdrom);
    }

    void setDirectIoSafe() {
        disk.setDirectIoSafe(true);
    }

    void setDiscard(boolean discard) {
        disk.setDiscard(discard);
    }

    void setTrusted(boolean trusted) {
        disk.setTrusted(trusted);
    }

    void setGrantUsage(boolean grantUsage) {
        disk.setGrantUsage(grantUsage);
    }

    /** Applies the defaults and checks of {@code xlu_disk_parse}, then hvsim's vdev and path rules. */
    DiskSpec finish() throws XlSpecException {
        String resolvedFormat = format == null ? "raw" : format;
        if (disk.getCdrom()) {
            disk.setReadwrite(false);
            if (target == null || target.isEmpty()) {
                resolvedFormat = "empty";
            }
        }
        if (vdev == null) {
            throw error("no vdev specified", null);
        }
        if (target == null && !disk.getCdrom()) {
            throw error("no target specified (and device not removable)", null);
        }
        int number = VirtualDevice.number(vdev);
        if (number < 0) {
            throw error("invalid or unsupported virtual disk identifier", vdev);
        }
        String path = target == null ? "" : target;
        boolean scripted = script != null && !script.isEmpty();
        if (!path.isEmpty() && !scripted && !path.startsWith("/") && !path.startsWith(NULL_TARGET)) {
            path = "/dev/" + path;
        }
        disk.setTarget(path).setFormat(resolvedFormat).setVdev(vdev).setVirtualDevice(number);
        if (backend != null) {
            disk.setBackend(backend);
        }
        if (backendType != null) {
            disk.setBackendType(backendType);
        }
        if (script != null) {
            disk.setScript(script);
        }
        if (specification != null) {
            disk.setSpecification(specification);
        }
        return disk.build();
    }
}
