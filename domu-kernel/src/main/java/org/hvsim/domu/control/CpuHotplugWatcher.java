package org.hvsim.domu.control;

import java.util.Optional;
import java.util.OptionalInt;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.xenbus.XenbusClient;
import org.hvsim.domu.xenbus.XenbusException;
import org.hvsim.domu.xenbus.XenbusTransaction;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * Watches {@code cpu} (relative: the domain's own {@code ~/cpu}) and brings vCPUs up and down as the toolstack
 * writes their {@code cpu/<N>/availability} ({@code xl vcpu-set}), as Linux's {@code drivers/xen/cpu_hotplug.c}
 * does. A firing for a path naming vCPU {@code N} reads that vCPU's node: {@code online} brings it up,
 * {@code offline} takes it down, anything else is reported ({@code unknown state(...) on CPU<N>}) and left
 * alone. The firing for {@code cpu} itself (the watch's first, and its first after a reconnection) reconciles
 * every vCPU with its node, so a vCPU offline at creation or changed while the watch was away is right; there
 * an absent node is nothing to do. vCPU 0 never goes offline: a request for it is reported and ignored.
 *
 * <p>Threads: {@link #start} on the booting vCPU; the callback on the xenwatch worker (any vCPU, one at a time).
 */
public final class CpuHotplugWatcher {
    private final XenbusClient xenbus;
    private final CpuHotplugActions actions;

    public CpuHotplugWatcher(XenbusClient xenbus, CpuHotplugActions actions) {
        this.xenbus = xenbus;
        this.actions = actions;
    }

    /** Registers the watch; a watch that cannot be registered throws. */
    public void start(PerCpu cpu) {
        xenbus.watch(cpu, CpuAvailability.CPU_DIR, this::changed);
    }

    /** The watch fired for {@code path}. Runs on the xenwatch worker. */
    void changed(PerCpu cpu, String path) {
        if (CpuAvailability.CPU_DIR.equals(path)) {
            for (int id = 0; id < actions.vcpus(); id++) {
                int v = id;
                read(cpu, v, false).ifPresent(value -> apply(cpu, v, value));
            }
            return;
        }
        OptionalInt id = CpuAvailability.vcpuOf(path);
        if (id.isEmpty() || id.getAsInt() >= actions.vcpus()) {
            return;
        }
        int v = id.getAsInt();
        read(cpu, v, true).ifPresent(value -> apply(cpu, v, value));
    }

    private void apply(PerCpu cpu, int id, String value) {
        Optional<CpuAvailability> state = CpuAvailability.of(value);
        if (state.isEmpty()) {
            actions.report(cpu, "minios: unknown state(" + printable(value) + ") on CPU" + id);
            return;
        }
        switch (state.get()) {
            case ONLINE -> {
                if (id != 0) {
                    actions.online(cpu, id);
                }
            }
            case OFFLINE -> {
                if (id == 0) {
                    actions.report(cpu, "minios: CPU0 cannot go offline; ignoring " + CpuAvailability.node(0)
                            + " = offline");
                } else {
                    actions.offline(cpu, id);
                }
            }
        }
    }

    /**
     * vCPU {@code id}'s node, or empty when it is absent (reported when {@code reportAbsent}, as Linux's
     * "Unable to read cpu state"). Other errors end this firing; the xenwatch worker reports them.
     */
    private Optional<String> read(PerCpu cpu, int id, boolean reportAbsent) {
        try {
            return Optional.of(xenbus.read(cpu, XenbusTransaction.NIL, CpuAvailability.node(id)));
        } catch (XenbusException e) {
            if (e.error() != XsdError.ENOENT) {
                throw e;
            }
            if (reportAbsent) {
                actions.report(cpu, "minios: unable to read " + CpuAvailability.node(id));
            }
            return Optional.empty();
        }
    }

    /** A value for the console: at most 32 characters, control characters as '?'. */
    private static String printable(String value) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length() && i < 32; i++) {
            char c = value.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return value.length() > 32 ? b + "..." : b.toString();
    }
}
