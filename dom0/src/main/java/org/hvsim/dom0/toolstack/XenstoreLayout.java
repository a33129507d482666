package org.hvsim.dom0.toolstack;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hvsim.dom0.xenstore.XenstoreClient;
import org.hvsim.dom0.xenstore.XenstoreOps;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPermission;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * The XenStore nodes the toolstack keeps for a domain, as libxl lays them out ({@code libxl__domain_make},
 * {@code libxl__build_post}, the PV console of {@code libxl__device_console_add}, {@code libxl__domain_rename},
 * {@code libxl_domain_preserve}, {@code libxl__domain_destroy}): {@code /local/domain/N} readable by the
 * domain and owned by dom0, the subtrees the guest writes ({@code control/shutdown},
 * {@code control/feature-*}, {@code data}, ...) owned by the domain, {@code /vm/<uuid>} and the toolstack's
 * own {@code /libxl/N}. Each operation is one transaction, retried on conflicts.
 * Threads: any but xenstored's.
 */
public final class XenstoreLayout {
    /** libxl's {@code LIBXL_XENCONSOLE_LIMIT}: the console output buffer xenconsoled keeps. */
    static final String CONSOLE_LIMIT = "1048576";
    /** Nodes under {@code ~/control} the guest owns (libxl's rwperm). */
    static final List<String> GUEST_CONTROL = List.of("shutdown", "feature-poweroff", "feature-reboot",
            "feature-suspend", "sysrq");
    /** Subtrees of the domain's home the guest owns. */
    static final List<String> GUEST_DIRS = List.of("data", "drivers", "feature", "attr", "error",
            "device/suspend/event-channel");

    /**
     * What the layout says about a domain.
     *
     * @param storeGfn the guest frame of its store ring (ring-ref)
     * @param consoleGfn the guest frame of its console ring
     * @param startTimeMillis when it was created (ms since the epoch)
     */
    public record Facts(int domid, String name, UUID uuid, long maxMemKb, long targetMemKb, int vcpus, int maxVcpus,
            long storeGfn, int storePort, long consoleGfn, int consolePort, String kernel, String cmdline,
            long startTimeMillis) {

        /** The facts of a domain built from {@code spec}. */
        public static Facts of(int domid, DomainSpec spec, int storePort, int consolePort, long startTimeMillis) {
            return new Facts(domid, spec.name(), spec.uuid(), spec.maxPages() * 4, spec.memoryPages() * 4, spec.vcpus(),
                    spec.maxVcpus(), DomainLayout.STORE_PFN, storePort, DomainLayout.CONSOLE_PFN, consolePort,
                    spec.kernel().toString(), spec.cmdline(), startTimeMillis);
        }
    }

    private XenstoreLayout() {}

    /** {@code /local/domain/<domid>}. */
    public static String domainPath(int domid) {
        return "/local/domain/" + domid;
    }

    /** {@code /vm/<uuid>}. */
    public static String vmPath(UUID uuid) {
        return "/vm/" + uuid;
    }

    /** {@code /libxl/<domid>}. */
    public static String libxlPath(int domid) {
        return "/libxl/" + domid;
    }

    /** Writes the domain's nodes (replacing any left from an earlier domain with its id or UUID). */
    public static void write(XenstoreClient xs, Facts f) {
        xs.transaction(t -> {
            writeIn(t, f);
            return null;
        });
    }

    private static void writeIn(XenstoreOps t, Facts f) {
        String dom = domainPath(f.domid());
        String vm = vmPath(f.uuid());
        String libxl = libxlPath(f.domid());
        List<XsPermission> ro = List.of(new XsPermission(0, XsPermission.NONE),
                new XsPermission(f.domid(), XsPermission.READ));
        List<XsPermission> rw = List.of(new XsPermission(f.domid(), XsPermission.NONE));
        List<XsPermission> none = List.of(new XsPermission(0, XsPermission.NONE));
        // libxl__domain_make
        rm(t, dom);
        mknod(t, dom, ro);
        rm(t, vm);
        mknod(t, vm, ro);
        rm(t, libxl);
        mknod(t, libxl, none);
        mknod(t, libxl + "/device", none);
        t.write(dom + "/vm", vm);
        mknod(t, vm + "/device", ro);
        for (String d : List.of("cpu", "memory", "device", "control")) {
            mknod(t, dom + "/" + d, ro);
        }
        for (String c : GUEST_CONTROL) {
            mknod(t, dom + "/control/" + c, rw);
        }
        for (String d : GUEST_DIRS) {
            mknod(t, dom + "/" + d, rw);
        }
        t.write(vm + "/uuid", f.uuid().toString());
        t.write(vm + "/name", f.name());
        t.write(dom + "/name", f.name());
        t.write(dom + "/control/platform-feature-multiprocessor-suspend", "1");
        t.write(dom + "/control/platform-feature-xs_reset_watches", "1");
        t.write(libxl + "/type", "pv");
        // libxl__build_post
        t.write(dom + "/memory/static-max", Long.toString(f.maxMemKb()));
        t.write(dom + "/memory/target", Long.toString(f.targetMemKb()));
        t.write(dom + "/memory/videoram", "0");
        t.write(dom + "/domid", Integer.toString(f.domid()));
        t.write(dom + "/store/port", Integer.toString(f.storePort()));
        t.write(dom + "/store/ring-ref", Long.toString(f.storeGfn()));
        vcpuAvailabilityIn(t, f.domid(), f.vcpus(), f.maxVcpus());
        t.write(vm + "/start_time", String.format(Locale.ROOT, "%d.%02d", f.startTimeMillis() / 1000,
                f.startTimeMillis() % 1000 / 10));
        t.write(vm + "/image/ostype", "linux");
        t.write(vm + "/image/kernel", f.kernel());
        t.write(vm + "/image/cmdline", f.cmdline());
        // libxl__device_console_add: the PV console (console 0) lives in the domain's home, read-only to it
        String con = dom + "/console";
        t.write(con + "/backend-id", "0");
        t.write(con + "/limit", CONSOLE_LIMIT);
        t.write(con + "/type", "xenconsoled");
        t.write(con + "/output", "pty");
        t.write(con + "/tty", "");
        t.write(con + "/port", Integer.toString(f.consolePort()));
        t.write(con + "/ring-ref", Long.toString(f.consoleGfn()));
    }

    /** A node with an empty value and {@code perms} ({@code libxl__xs_mknod}). */
    /** {@code /local/domain/<domid>/cpu/<vcpu>/availability}. */
    public static String vcpuAvailabilityPath(int domid, int vcpu) {
        return domainPath(domid) + "/cpu/" + vcpu + "/availability";
    }

    /**
     * libxl__set_vcpuonline_xenstore: {@code cpu/<i>/availability} of each of the domain's {@code maxVcpus}
     * vCPUs, {@code online} below {@code online} and {@code offline} from there, in one transaction.
     */
    public static void writeVcpuAvailability(XenstoreClient xs, int domid, long online, int maxVcpus) {
        xs.transaction(t -> {
            vcpuAvailabilityIn(t, domid, online, maxVcpus);
            return null;
        });
    }

    private static void vcpuAvailabilityIn(XenstoreOps t, int domid, long online, int maxVcpus) {
        for (int i = 0; i < maxVcpus; i++) {
            t.write(vcpuAvailabilityPath(domid, i), i < online ? "online" : "offline");
        }
    }

    private static void mknod(XenstoreOps t, String path, List<XsPermission> perms) {
        t.write(path, "");
        t.setPerms(path, perms);
    }

    /** {@code libxl__domain_rename}: the domain's {@code name} and its VM's. */
    public static void rename(XenstoreClient xs, int domid, String newName) {
        xs.transaction(t -> {
            String dom = domainPath(domid);
            t.write(dom + "/name", newName);
            String vm = readOrNull(t, dom + "/vm");
            if (vm != null && !vm.isEmpty()) {
                t.write(vm + "/name", newName);
            }
            return null;
        });
    }

    /**
     * {@code libxl_domain_preserve}: the domain keeps running under {@code newName} and a new UUID; its
     * {@code /vm} entry moves to the new UUID (the old one is left for the restarted domain to take).
     */
    public static void preserve(XenstoreClient xs, int domid, String newName, UUID newUuid) {
        xs.transaction(t -> {
            String dom = domainPath(domid);
            String oldVm = readOrNull(t, dom + "/vm");
            String vm = vmPath(newUuid);
            mknod(t, vm, List.of(new XsPermission(0, XsPermission.NONE), new XsPermission(domid, XsPermission.READ)));
            if (oldVm != null && !oldVm.isEmpty()) {
                for (String key : List.of("start_time", "image/ostype", "image/kernel", "image/cmdline")) {
                    String v = readOrNull(t, oldVm + "/" + key);
                    if (v != null) {
                        t.write(vm + "/" + key, v);
                    }
                }
            }
            t.write(vm + "/uuid", newUuid.toString());
            t.write(vm + "/name", newName);
            t.write(dom + "/vm", vm);
            t.write(dom + "/name", newName);
            return null;
        });
    }

    /**
     * Removes everything the toolstack laid out for the domain ({@code libxl__domain_destroy}):
     * {@code /libxl/N}, {@code /vm/<uuid>} (as {@code ~/vm} names it, else {@code uuid}'s) and
     * {@code /local/domain/N}.
     */
    public static void remove(XenstoreClient xs, int domid, UUID uuid) {
        xs.transaction(t -> {
            String dom = domainPath(domid);
            String vm = readOrNull(t, dom + "/vm");
            rm(t, libxlPath(domid));
            if (vm != null && vm.startsWith("/vm/")) {
                rm(t, vm);
            }
            if (uuid != null) {
                rm(t, vmPath(uuid));
            }
            rm(t, dom);
            return null;
        });
    }

    /** RM, where a missing parent is nothing to remove either. */
    private static void rm(XenstoreOps t, String path) {
        try {
            t.rm(path);
        } catch (XenstoreException e) {
            if (e.error() != XsdError.ENOENT) {
                throw e;
            }
        }
    }

    private static String readOrNull(XenstoreOps t, String path) {
        try {
            return t.readString(path);
        } catch (XenstoreException e) {
            if (e.error() == XsdError.ENOENT) {
                return null;
            }
            throw e;
        }
    }
}
