package org.hvsim.tools.hvsim.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.tools.client.ControlPlane;
import org.hvsim.tools.client.HvsimHome;

/**
 * The cost of a null hypercall ({@code xen_version(XENVER_version)}) from a domU: runs the built-in kernel's
 * {@code hcbench} app, which times the calls with its own clock and prints its figures on its console, and
 * reads them from the console log xenconsoled keeps for the domain.
 */
public final class NullHypercall {
    /** What hcbench prints. */
    static final Pattern LINE = Pattern.compile(
            "hcbench: (\\d+) null hypercalls: mean (\\d+\\.\\d) ns, best round (\\d+\\.\\d) ns per call");
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(2);

    /** hcbench's figures, nanoseconds per call. */
    public record Result(long calls, String meanNs, String bestRoundNs) {
    }

    private NullHypercall() {
    }

    /** Runs {@code calls} null hypercalls in a guest named {@code name} on the host in {@code home}. */
    public static Result run(ControlPlane control, HvsimHome home, String name, long calls) throws IOException {
        control.domains().withDeadlineAfter(60, TimeUnit.SECONDS).createDomain(CreateDomainRequest.newBuilder()
                .setConfig(BenchDomains.hypercallBench(name, calls)).build());
        Path log = home.logDir().resolve("console").resolve("guest-" + name + ".log");
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TIMEOUT_NS) {
            if (Files.exists(log)) {
                Matcher m = LINE.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    return new Result(Long.parseLong(m.group(1)), m.group(2), m.group(3));
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new IOException("no hcbench figures in " + log + " within "
                + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NS) + " s");
    }
}
