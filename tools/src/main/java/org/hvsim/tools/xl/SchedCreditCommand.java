package org.hvsim.tools.xl;

import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.GetSchedCreditRequest;
import org.hvsim.proto.control.GetSchedCreditResponse;
import org.hvsim.proto.control.SchedCreditDomain;
import org.hvsim.proto.control.SchedCreditPool;
import org.hvsim.proto.control.SetSchedCreditPoolRequest;
import org.hvsim.proto.control.SetSchedCreditRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xl sched-credit} (xl_sched.c main_sched_credit): with nothing, the pool line, a header and a
 * row per domain, when the host runs credit (nothing otherwise, as for a pool on another scheduler);
 * {@code -d dom} that domain's row, {@code -d dom -w/-c} sets; {@code -s} the pool line,
 * {@code -s -t/-r/-m} sets. xl's option conflicts and messages; dom0 applies libxl's range checks.
 */
@Command(name = "sched-credit", description = "Get/set credit scheduler parameters",
        customSynopsis = "xl [-vtT] sched-credit [-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s [-t TSLICE] [-r RATELIMIT] [-m DELAY]] [-p CPUPOOL]")
final class SchedCreditCommand extends XlSubcommand {
    static final String HEADER = String.format("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");

    @Option(names = {"-d", "--domain"}, paramLabel = "DOMAIN", description = "Domain to modify")
    String domain;

    @Option(names = {"-w", "--weight"}, paramLabel = "WEIGHT", description = "Weight (int)")
    Integer weight;

    @Option(names = {"-c", "--cap"}, paramLabel = "CAP", description = "Cap (int)")
    Integer cap;

    @Option(names = {"-s", "--schedparam"}, description = "Query / modify scheduler parameters")
    boolean schedparam;

    @Option(names = {"-t", "--tslice_ms"}, paramLabel = "TSLICE", description = "Set the timeslice, in milliseconds")
    Integer tslice;

    @Option(names = {"-r", "--ratelimit_us"}, paramLabel = "RLIMIT", description = "Set the scheduling rate limit, in microseconds")
    Integer ratelimit;

    @Option(names = {"-m", "--migration_delay_us"}, paramLabel = "MDELAY",
            description = "Set the migration delay, in microseconds")
    Integer migrationDelay;

    @Option(names = {"-p", "--cpupool"}, paramLabel = "CPUPOOL", description = "Restrict output to CPUPOOL")
    String cpupool;

    SchedCreditCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        boolean domainOptions = weight != null || cap != null;
        if ((cpupool != null || schedparam) && (domain != null || domainOptions)) {
            throw XlFailure.line("Specifying a cpupool or schedparam is not allowed with domain options.");
        }
        if (domain == null && domainOptions) {
            throw XlFailure.line("Must specify a domain.");
        }
        boolean poolOptions = tslice != null || ratelimit != null || migrationDelay != null;
        if (!schedparam && poolOptions) {
            throw XlFailure.line("Must specify schedparam to set schedule parameter values.");
        }
        if (cpupool != null && !cpupool.equals(POOL) && !cpupool.equals("0")) {
            throw XlFailure.line("unknown cpupool '" + cpupool + "'");
        }
        if (schedparam) {
            return poolOptions ? setPool() : printPool();
        }
        if (domain == null) {
            return list();
        }
        long domid = DomainQualifier.find(env, domain);
        return domainOptions ? setDomain(domid) : printDomain(domid);
    }

    /** The name of hvsim's one cpupool. */
    static final String POOL = "Pool-0";

    private int list() throws XlFailure, HostNotRunningException {
        GetSchedCreditResponse r = get("");
        if (!r.hasPool()) {
            return 0;
        }
        env.out().print(poolLine(r.getPool()));
        env.out().print(HEADER);
        for (SchedCreditDomain d : r.getDomainsList()) {
            env.out().print(row(d));
        }
        return 0;
    }

    private int printDomain(long domid) throws XlFailure, HostNotRunningException {
        env.out().print(HEADER);
        GetSchedCreditResponse r = get(Long.toString(domid));
        if (!r.hasPool() || r.getDomainsCount() == 0) {
            throw XlFailure.line("libxl_domain_sched_params_get returned " + r.getScheduler() + " not credit.");
        }
        env.out().print(row(r.getDomains(0)));
        return 0;
    }

    private int printPool() throws XlFailure, HostNotRunningException {
        GetSchedCreditResponse r = get("");
        env.out().print(r.hasPool() ? poolLine(r.getPool()) : "Cpupool " + POOL + ": [sched params unavailable]\n");
        return 0;
    }

    private int setDomain(long domid) throws XlFailure, HostNotRunningException {
        SetSchedCreditRequest.Builder req = SetSchedCreditRequest.newBuilder().setDomain(Long.toString(domid));
        if (weight != null) {
            req.setWeight(weight);
        }
        if (cap != null) {
            req.setCap(cap);
        }
        try {
            env.control().scheduler().setSchedCredit(req.build());
        } catch (StatusRuntimeException e) {
            throw refused(e, "libxl_domain_sched_params_set failed.");
        }
        return 0;
    }

    private int setPool() throws XlFailure, HostNotRunningException {
        SetSchedCreditPoolRequest.Builder req = SetSchedCreditPoolRequest.newBuilder();
        if (tslice != null) {
            req.setTsliceMs(tslice);
        }
        if (ratelimit != null) {
            req.setRatelimitUs(ratelimit);
        }
        if (migrationDelay != null) {
            req.setMigrationDelayUs(migrationDelay);
        }
        try {
            env.control().scheduler().setSchedCreditPool(req.build());
        } catch (StatusRuntimeException e) {
            throw refused(e, "libxl_sched_credit_params_set failed.");
        }
        return 0;
    }

    private GetSchedCreditResponse get(String dom) throws XlFailure, HostNotRunningException {
        try {
            return env.control().scheduler().getSchedCredit(GetSchedCreditRequest.newBuilder().setDomain(dom).build());
        } catch (StatusRuntimeException e) {
            throw refused(e, null);
        }
    }

    static String poolLine(SchedCreditPool p) {
        return "Cpupool " + p.getPool() + ": tslice=" + p.getTsliceMs() + "ms ratelimit=" + p.getRatelimitUs()
                + "us migration-delay=" + p.getMigrationDelayUs() + "us\n";
    }

    static String row(SchedCreditDomain d) {
        return String.format("%-33s %4d %6d %4d\n", d.getName(), d.getDomid(), d.getWeight(), d.getCap());
    }
}
