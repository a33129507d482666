package org.hvsim.tools.xl;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.proto.control.ShutdownDomainRequest;
import org.hvsim.proto.control.ShutdownKind;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl shutdown} and {@code xl reboot} ({@code main_shutdown_or_reboot} in xl_vmcontrol.c): ask one
 * domain, or with {@code -a} every domain but domain 0, to shut down or reboot; with {@code -w} wait until
 * each has shut down, with {@code -w -w} until each has been destroyed. Progress goes to stderr in xl's
 * words. The request goes to the guest's {@code ~/control/shutdown}; a guest without the PV control interface is
 * refused unless {@code -F}, which (instead of Xen's ACPI power button for HVM) shuts it down from outside.
 *
 * <p>Threads: the main thread; with {@code -w}, replies arrive on the channel's thread and are handed over
 * through a queue.
 */
abstract class ShutdownOrReboot extends XlSubcommand {
    @Option(names = {"-a", "--all"}, description = "Shutdown all guest domains.")
    boolean all;

    @Option(names = {"-w", "--wait"}, description = "Wait for guest(s) to shut down; twice: until destroyed.")
    boolean[] wait = new boolean[0];

    @Option(names = "-F", description = {"Without the guest's PV control interface, shut it", "down from outside (SCHEDOP_remote_shutdown)."})
    boolean fallbackTrigger;

    @Parameters(arity = "0..1", paramLabel = "Domain")
    String domain;

    private final ShutdownKind kind;
    private final String progress;
    private final String what;

    /**
     * @param progress xl's progress verb, "Shutting down" or "Rebooting"
     * @param what the operation's name in xl's failure line, "shutdown" or "reboot"
     */
    ShutdownOrReboot(XlEnvironment env, ShutdownKind kind, String progress, String what) {
        super(env);
        this.kind = kind;
        this.progress = progress;
        this.what = what;
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        if (domain == null && !all) {
            throw new XlFailure("You must specify -a or a domain id.\n\n", 1);
        }
        List<Long> targets = new ArrayList<>();
        if (all) {
            for (DomainInfo d : env.control().domains().listDomains(ListDomainsRequest.getDefaultInstance())
                    .getDomainsList()) {
                if (d.getDomid() != 0) {
                    targets.add(Integer.toUnsignedLong(d.getDomid()));
                }
            }
            targets.sort(null);
        } else {
            targets.add(DomainQualifier.find(env, domain));
        }
        return wait.length == 0 ? requestAll(targets) : requestAndWait(targets);
    }

    private int requestAll(List<Long> targets) throws XlFailure, HostNotRunningException {
        for (long domid : targets) {
            env.err().print(progress + " domain " + domid + "\n");
            env.err().flush();
            try {
                env.control().domains().shutdownDomain(request(domid));
            } catch (StatusRuntimeException e) {
                throw failed(e);
            }
        }
        return 0;
    }

    private int requestAndWait(List<Long> targets) throws XlFailure, HostNotRunningException {
        record Outcome(long domid, Throwable error) {
        }
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        for (long domid : targets) {
            env.err().print(progress + " domain " + domid + "\n");
            Futures.addCallback(env.control().domainsFuture().shutdownDomain(request(domid)),
                    new FutureCallback<Empty>() {
                        @Override
                        public void onSuccess(Empty result) {
                            outcomes.add(new Outcome(domid, null));
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            outcomes.add(new Outcome(domid, t));
                        }
                    }, MoreExecutors.directExecutor());
        }
        env.err().print("Waiting for " + targets.size() + " domains\n");
        env.err().flush();
        XlFailure firstFailure = null;
        for (int i = 0; i < targets.size(); i++) {
            Outcome outcome;
            try {
                outcome = outcomes.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw XlFailure.line("xl: interrupted while waiting for domains");
            }
            if (outcome.error() instanceof StatusRuntimeException e) {
                XlFailure failure = failed(e);
                env.err().print(failure.getMessage());
                firstFailure = firstFailure == null ? failure : firstFailure;
            } else if (outcome.error() != null) {
                throw XlFailure.line("xl: " + outcome.error());
            } else {
                env.err().print(waited(outcome.domid()) + "\n");
            }
            env.err().flush();
        }
        if (firstFailure != null) {
            return firstFailure.exitCode();
        }
        return 0;
    }

    /** xl's line once a wait ended: the domain's shutdown reason, or that it is gone. */
    private String waited(long domid) throws HostNotRunningException {
        if (wait.length < 2) {
            try {
                for (DomainInfo d : env.control().domains().listDomains(ListDomainsRequest.newBuilder()
                        .setDomain(Long.toString(domid)).build()).getDomainsList()) {
                    if (d.getShutdown()) {
                        return "Domain " + domid + " has been shut down, reason code " + d.getShutdownReason();
                    }
                }
            } catch (StatusRuntimeException e) {
                if (!DomainQualifier.isNotFound(e)) {
                    throw e;
                }
            }
        }
        return "Domain " + domid + " has been destroyed";
    }

    private ShutdownDomainRequest request(long domid) {
        return ShutdownDomainRequest.newBuilder()
                .setDomain(Long.toString(domid))
                .setKind(kind)
                .setWait(wait.length >= 1)
                .setWaitForDeath(wait.length >= 2)
                .setFallback(fallbackTrigger)
                .build();
    }

    private XlFailure failed(StatusRuntimeException e) {
        if (DomainQualifier.isNotFound(e)) {
            return XlFailure.line(what + " failed (rc=" + DomainQualifier.ERROR_DOMAIN_NOTFOUND + ")");
        }
        return refused(e, what + " failed");
    }
}
