package org.hvsim.tools.xl;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.format.UptimeFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl uptime [-s] [Domain ...]}: how long each domain has existed, dom0 first. Every argument is
 * resolved before anything is printed (an unknown name ends xl); a domain id that does not exist, or a
 * domain whose start time dom0 does not know, is left out, as xl leaves out a domain whose start time it
 * cannot read. A start time in the future counts as no time at all.
 */
@Command(name = "uptime", description = "Print uptime for all/some domains", customSynopsis = "xl [-vtT] uptime [-s] [Domain]")
final class UptimeCommand extends XlSubcommand {
    @Option(names = "-s", description = "Short mode: the time of day, then each domain's uptime on its own line")
    boolean shortMode;

    @Parameters(arity = "0..*", paramLabel = "Domain")
    List<String> domains = List.of();

    UptimeCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        Map<Long, DomainInfo> byDomid = new TreeMap<>();
        for (DomainInfo d : env.control().domains().listDomains(ListDomainsRequest.getDefaultInstance())
                .getDomainsList()) {
            byDomid.put(Integer.toUnsignedLong(d.getDomid()), d);
        }
        List<Long> selected = new ArrayList<>();
        for (String qualifier : domains) {
            selected.add(resolve(qualifier, byDomid));
        }
        if (domains.isEmpty()) {
            selected.addAll(byDomid.keySet()); // domain 0 sorts first
        }
        Instant now = env.clock().instant();
        LocalTime timeOfDay = LocalTime.ofInstant(now, env.clock().getZone());
        if (!shortMode) {
            env.out().print(UptimeFormat.HEADER);
        }
        for (long domid : selected) {
            DomainInfo d = byDomid.get(domid);
            if (d == null || d.getStartTimeUnixSeconds() == 0) {
                continue;
            }
            long seconds = Math.max(0, now.getEpochSecond() - d.getStartTimeUnixSeconds());
            env.out().print(shortMode ? UptimeFormat.shortLine(timeOfDay, d.getName(), domid, seconds)
                    : UptimeFormat.row(d.getName(), domid, seconds));
        }
        return 0;
    }

    private static long resolve(String qualifier, Map<Long, DomainInfo> byDomid) throws XlFailure {
        if (DomainQualifier.isDomid(qualifier)) {
            return DomainQualifier.domid(qualifier);
        }
        for (var entry : byDomid.entrySet()) {
            if (entry.getValue().getName().equals(qualifier)) {
                return entry.getKey();
            }
        }
        throw XlFailure.line(DomainQualifier.invalidIdentifier(qualifier));
    }
}
