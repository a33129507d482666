package org.hvsim.dom0.toolstack;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.xen.Dom0Platform;
import org.hvsim.dom0.xen.XenError;
import org.hvsim.hv.abi.Domctl;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.domctl.GetDomainInfo;
import org.hvsim.proto.toolstack.ToolstackDomain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a restarted dom0 process takes over from the one that died while the hypervisor and the guests
 * carried on: it closes every event channel its predecessor had bound (EVTCHNOP_reset; the guests'
 * ends become unbound for dom0 again), clears the console mappings it left, re-attaches to the console
 * of each domain it still finds and lays its XenStore nodes out again in the new (empty) xenstored, forgets domains that are gone, and destroys domains it has no record
 * of (its predecessor died while building them). Runs once, before the toolstack serves requests.
 */
final class ToolstackRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ToolstackRecovery.class);

    private final Dom0Platform platform;
    private final DomainRegistry registry;
    private final Xenconsoled consoles;
    private final DomainStore store;
    private final DomainConfigValidator validator;

    ToolstackRecovery(Dom0Platform platform, DomainRegistry registry, Xenconsoled consoles, DomainStore store,
            DomainConfigValidator validator) {
        this.platform = platform;
        this.registry = registry;
        this.consoles = consoles;
        this.store = store;
        this.validator = validator;
    }

    /**
     * The new xenstored is empty: the domain's layout is written again and its ring introduced again.
     * xenstored takes the ring over through the reconnection handshake ({@code RingConnection#start}); the
     * guest then registers its watches again and republishes its {@code control/feature-*}. The rest of
     * what it had written ({@code data/}) died with the old xenstored.
     */
    private void reintroduce(ManagedDomain m) {
        try {
            store.introduce(m);
        } catch (RuntimeException e) {
            LOG.warn("cannot reconnect domain {} to xenstored: {}", m.domid(), e.getMessage());
        }
    }

    void recover() throws IOException {
        platform.events().resetOwn();
        Map<Integer, GetDomainInfo> live = platform.xc().listDomains().stream()
                .collect(Collectors.toMap(GetDomainInfo::domain, Function.identity()));
        Set<Integer> known = new java.util.HashSet<>();
        for (ToolstackDomain rec : registry.load()) {
            GetDomainInfo info = live.get(rec.getDomid());
            if (rec.getConsolePtPfn() != 0) {
                platform.foreign().clearStale(rec.getConsolePtPfn(), 1);
            }
            if (rec.getStorePtPfn() != 0) {
                platform.foreign().clearStale(rec.getStorePtPfn(), 1);
            }
            if (info == null) {
                registry.remove(rec.getDomid());
                continue;
            }
            known.add(rec.getDomid());
            ManagedDomain m = ManagedDomain.fromRecord(rec, validator.restore(rec.getConfig()));
            if ((info.flags() & Domctl.DOMINF_DYING) == 0) {
                m.setConsolePtPfn(consoles.attach(m.domid(), m.name(), m.consoleMfn(), m.consoleGuestPort()));
                if (m.storeMfn() != 0) {
                    reintroduce(m);
                }
            }
            registry.adopt(m);
            registry.save(m);
            LOG.info("recovered domain {} ({})", m.domid(), m.name());
        }
        for (GetDomainInfo info : live.values()) {
            if (info.domain() != DomId.DOM0 && Toolstack.isShutdown(info)) {
                store.domainShutdown(info.domain());
            }
            if (info.domain() != DomId.DOM0 && !known.contains(info.domain())) {
                LOG.warn("destroying domain {}: no toolstack record (its build was interrupted)", info.domain());
                try {
                    platform.xc().destroyDomain(info.domain());
                } catch (XenError e) {
                    LOG.warn("cannot destroy domain {}: {}", info.domain(), e.getMessage());
                }
            }
        }
    }
}
