package org.hvsim.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.hvsim.proto.control.DestroyDomainRequest;
import org.hvsim.proto.control.DomainInfo;

/**
 * Guests of the built-in kernel on one {@link Host}: their xl.cfg files, creating them with {@code xl create},
 * and waiting for what they do. Waits poll the control plane (cheap); tests then check what xl shows.
 */
public final class Guests {
    /** Memory of a test guest, in MiB: small, so a test host holds many. */
    public static final int MEMORY_MIB = 16;
    /** How long a guest may take to reach a state on a busy 2-core machine. */
    public static final long TIMEOUT_MS = 30_000;

    private final Host host;

    public Guests(Host host) {
        this.host = host;
    }

    /**
     * The text of an xl.cfg for a guest running {@code app} ({@code cmdline="app=<app>"}), with
     * {@value #MEMORY_MIB} MiB and one vCPU unless {@code extraLines} say otherwise (later lines win).
     */
    public static String cfg(String name, String app, String... extraLines) {
        StringBuilder text = new StringBuilder()
                .append("# hvsim integration test guest\n")
                .append("name = \"").append(name).append("\"\n")
                .append("memory = ").append(MEMORY_MIB).append('\n')
                .append("vcpus = 1\n")
                .append("cmdline = \"app=").append(app).append("\"\n");
        for (String line : extraLines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** Writes the config of {@link #cfg} to {@code <home>/<name>.cfg}. */
    public Path config(String name, String app, String... extraLines) throws IOException {
        return host.config(name, cfg(name, app, extraLines));
    }

    /**
     * {@code xl create} of {@link #cfg}, which must succeed; returns the new domain's id. For a guest that
     * lives on (one that may be gone by the time xl returns: {@link #start}).
     */
    public int create(String name, String app, String... extraLines) throws IOException, InterruptedException {
        host.xl("create", config(name, app, extraLines).toString()).expectOk();
        return host.domain(name).orElseThrow(() -> new AssertionError("xl create succeeded but there is no " + name))
                .getDomid();
    }

    /**
     * {@code xl create -p} of {@link #cfg}, then {@code xl unpause}: for a guest that may end (power off,
     * crash) as soon as it runs, whose domain id a test still wants. Returns that id.
     */
    public int start(String name, String app, String... extraLines) throws IOException, InterruptedException {
        host.xl("create", "-p", config(name, app, extraLines).toString()).expectOk();
        int domid = host.domain(name).orElseThrow(() -> new AssertionError("xl create -p succeeded but there is no "
                + name)).getDomid();
        host.xl("unpause", Integer.toString(domid)).expectOk();
        return domid;
    }

    /** Waits until the domain called {@code name} exists and satisfies {@code condition}; returns it. */
    public DomainInfo await(String name, Predicate<DomainInfo> condition, String what) {
        DomainInfo[] seen = new DomainInfo[1];
        Host.await(() -> {
            Optional<DomainInfo> d = host.domain(name);
            seen[0] = d.orElse(null);
            return d.isPresent() && condition.test(d.get());
        }, TIMEOUT_MS, () -> name + " to be " + what + "; last seen: " + seen[0]);
        return seen[0];
    }

    /** Waits until no domain is called {@code name}. */
    public void awaitGone(String name) {
        Host.await(() -> host.domain(name).isEmpty(), TIMEOUT_MS, () -> name + " to be gone; domains: " + names());
    }

    /** Waits until {@code name}'s console log contains {@code text}; returns the log. */
    public String awaitConsole(String name, String text) {
        String[] log = {""};
        Host.await(() -> {
            try {
                log[0] = host.consoleLog(name);
            } catch (IOException e) {
                return false;
            }
            return log[0].contains(text);
        }, TIMEOUT_MS, () -> "the console log of " + name + " to contain \"" + text + "\"; it has:\n" + log[0]);
        return log[0];
    }

    /** The names of the domains now, domain 0 included. */
    public List<String> names() {
        return host.domains().stream().map(DomainInfo::getName).toList();
    }

    /**
     * Destroys every domain but domain 0 over the control plane, quietly: the clean-up after a test, so
     * one failed test does not leave domains behind for the next.
     */
    public void destroyAll() {
        List<Integer> left = new ArrayList<>();
        for (DomainInfo d : host.domains()) {
            if (d.getDomid() != 0) {
                left.add(d.getDomid());
            }
        }
        for (int domid : left) {
            destroyQuietly(domid);
        }
    }

    /** Destroys {@code domid} over the control plane, if it still exists. */
    public void destroyQuietly(int domid) {
        try {
            host.domainService().destroyDomain(DestroyDomainRequest.newBuilder()
                    .setDomain(Integer.toString(domid)).build());
        } catch (RuntimeException alreadyGone) {
            // Destroyed by its own lifecycle action meanwhile.
        }
    }

    /** How many times {@code text} occurs in {@code in}. */
    public static int count(String in, String text) {
        int n = 0;
        for (int at = in.indexOf(text); at >= 0; at = in.indexOf(text, at + text.length())) {
            n++;
        }
        return n;
    }
}
