package org.hvsim.dom0.evtchn;

import java.util.Set;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelEvent;

/**
 * Which events a watcher wants: empty sets mean "all".
 *
 * @param domids domains (resolved from the request's names)
 * @param ports  ports, of any watched domain
 * @param kinds  kinds of activity
 */
public record WatchFilter(Set<Integer> domids, Set<Integer> ports, Set<EventChannelActivityKind> kinds) {

    public WatchFilter {
        domids = Set.copyOf(domids);
        ports = Set.copyOf(ports);
        kinds = Set.copyOf(kinds);
    }

    public boolean matches(EventChannelEvent e) {
        return (domids.isEmpty() || domids.contains(e.getDomid()))
                && (ports.isEmpty() || ports.contains(e.getPort()))
                && (kinds.isEmpty() || kinds.contains(e.getKind()));
    }

    /** Whether port {@code port} of {@code domid} may show up (for summaries). */
    public boolean matchesPort(int domid, int port) {
        return (domids.isEmpty() || domids.contains(domid)) && (ports.isEmpty() || ports.contains(port));
    }
}
