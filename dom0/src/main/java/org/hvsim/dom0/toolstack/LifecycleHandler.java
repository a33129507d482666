package org.hvsim.dom0.toolstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.proto.control.LifecycleAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the toolstack does when domains change state (xl's handle_domain_death): xenstored hears of every
 * domain that has shut down or is dying (its {@code @releaseDomain}); a domain that has shut
 * down gets the action its configuration names for the reason (on_poweroff, on_reboot, on_crash,
 * on_watchdog, on_soft_reset); a suspended one is left alone; a domain that is gone is forgotten. A
 * domain restarting more than {@link #MAX_RESTARTS} times in {@link #RESTART_WINDOW_MS} is destroyed
 * instead. Threads: the toolstack's event thread only.
 */
final class LifecycleHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleHandler.class);
    static final int MAX_RESTARTS = 10;
    static final long RESTART_WINDOW_MS = 60_000;
    private static final DateTimeFormatter RENAME_SUFFIX = DateTimeFormatter.ofPattern("'-'yyyyMMdd'T'HHmm'Z'");

    private final Toolstack ts;
    private final CoreDumper dumper;
    private final Path dumpDir;
    private final Map<String, Deque<Long>> restarts = new HashMap<>();

    LifecycleHandler(Toolstack ts, CoreDumper dumper, Path dumpDir) {
        this.ts = ts;
        this.dumper = dumper;
        this.dumpDir = dumpDir;
    }

    void reconcile() {
        Map<Integer, GetDomainInfo> live = ts.xc().listDomains().stream()
                .collect(Collectors.toMap(GetDomainInfo::domain, Function.identity()));
        for (ManagedDomain m : List.copyOf(ts.dying().values())) {
            if (!live.containsKey(m.domid())) {
                ts.dying().remove(m.domid());
                m.shutdown.complete(-1);
                m.death.complete(null);
            }
        }
        for (GetDomainInfo info : live.values()) {
            if (info.domain() != org.hvsim.hv.abi.DomId.DOM0
                    && ((info.flags() & Domctl.DOMINF_DYING) != 0 || Toolstack.isShutdown(info))) {
                ts.store().domainShutdown(info.domain());
            }
        }
        for (ManagedDomain m : ts.registry().all()) {
            GetDomainInfo info = live.get(m.domid());
            if (info == null) {
                gone(m);
            } else if ((info.flags() & Domctl.DOMINF_DYING) == 0 && Toolstack.isShutdown(info) && m.takeShutdown()) {
                ts.registry().save(m);
                int reason = Toolstack.shutdownReason(info);
                m.shutdown.complete(reason);
                act(m, reason);
            }
        }
    }

    private void gone(ManagedDomain m) {
        ts.store().remove(m.domid(), m.spec().uuid());
        ts.consoles().detach(m.domid());
        ts.registry().remove(m.domid());
        m.shutdown.complete(-1);
        m.death.complete(null);
    }

    private void act(ManagedDomain m, int reason) {
        ShutdownReason r = ShutdownReason.ofCode(reason);
        LOG.info("Domain {} ({}) has shut down, reason code {} 0x{}", m.domid(), m.name(), reason, Integer.toHexString(reason));
        if (r == ShutdownReason.SUSPEND) {
            LOG.info("Domain {} has suspended.", m.domid());
            return;
        }
        DomainSpec spec = m.spec();
        LifecycleAction action = r == null ? LifecycleAction.LIFECYCLE_ACTION_DESTROY : switch (r) {
            case POWEROFF -> spec.onPoweroff();
            case REBOOT -> spec.onReboot();
            case CRASH -> spec.onCrash();
            case WATCHDOG -> spec.onWatchdog();
            case SOFT_RESET -> spec.onSoftReset();
            case SUSPEND -> throw new IllegalStateException("suspend handled above");
        };
        LOG.info("Action for shutdown reason code {} is {}", reason, action);
        if (action == LifecycleAction.LIFECYCLE_ACTION_COREDUMP_DESTROY
                || action == LifecycleAction.LIFECYCLE_ACTION_COREDUMP_RESTART) {
            Path core = dumpDir.resolve(m.name());
            try {
                dumper.dump(m.domid(), m.extents(), core);
                LOG.info("dumped core of domain {} to {}", m.domid(), core);
            } catch (IOException | RuntimeException e) {
                LOG.warn("core dump of domain {} failed: {}", m.domid(), e.getMessage());
            }
            action = action == LifecycleAction.LIFECYCLE_ACTION_COREDUMP_DESTROY
                    ? LifecycleAction.LIFECYCLE_ACTION_DESTROY : LifecycleAction.LIFECYCLE_ACTION_RESTART;
        }
        try {
            switch (action) {
                case LIFECYCLE_ACTION_PRESERVE -> { }
                case LIFECYCLE_ACTION_RESTART_RENAME -> {
                    String preserved = spec.name() + ZonedDateTime.now(ZoneOffset.UTC).format(RENAME_SUFFIX);
                    LOG.info("Preserving domain {} {} as {}", m.domid(), spec.name(), preserved);
                    // As xl's preserve_domain: if the name is taken (another crash within the same minute),
                    // the domain stays in place under its own name and is not restarted.
                    ts.preserve(m, preserved, UUID.randomUUID());
                    restart(spec);
                }
                case LIFECYCLE_ACTION_RESTART -> {
                    destroy(m);
                    restart(spec);
                }
                case LIFECYCLE_ACTION_SOFT_RESET -> {
                    LOG.warn("Domain {}: soft reset (kexec) is not supported by hvsim; destroying the domain", m.domid());
                    destroy(m);
                }
                default -> destroy(m);
            }
        } catch (ConfigException e) {
            LOG.warn("Domain {}: {} failed: {}", m.domid(), action, e.getMessage());
        }
    }

    private void destroy(ManagedDomain m) throws ConfigException {
        LOG.info("Domain {} needs to be cleaned up: destroying the domain", m.domid());
        ts.destroyDomain(m.domid());
    }

    private void restart(DomainSpec spec) throws ConfigException {
        Deque<Long> times = restarts.computeIfAbsent(spec.uuid().toString(), k -> new ArrayDeque<>());
        long now = System.currentTimeMillis();
        while (!times.isEmpty() && now - times.peekFirst() > RESTART_WINDOW_MS) {
            times.removeFirst();
        }
        if (times.size() >= MAX_RESTARTS) {
            LOG.warn("Domain {} restarted {} times within {} s: not restarting it again", spec.name(), times.size(),
                    RESTART_WINDOW_MS / 1000);
            return;
        }
        times.addLast(now);
        Toolstack.CreatedDomain d = ts.start(spec, false);
        LOG.info("Domain {} restarted as domain {}", spec.name(), d.domid());
    }

    /** Restarts of the domain with {@code uuid} within the window (the storm guard's count). */
    int recentRestarts(String uuid) {
        Deque<Long> times = restarts.get(uuid);
        return times == null ? 0 : times.size();
    }
}
