package org.hvsim.tools.xl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.proto.control.SetVcpuOnlineRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xl vcpu-set [-i|--ignore-host] <Domain> <vCPUs>} (xl_vcpu.c main_vcpuset): vCPUs 0 to vCPUs-1 of the
 * domain online, the rest offline (libxl_set_vcpuonline, which dom0 answers with libxl's checks: 1 to the
 * domain's maxvcpus). The count is read as C's {@code strtoul} reads it (trailing text ignored); none, or more
 * than INT_MAX, is "Error: Invalid argument.". Unless {@code -i}, raising the count above both the domain's
 * online vCPUs and the host's pCPUs is refused as overcommitting, with xl's message (its spelling too).
 */
@Command(name = "vcpu-set", description = "Set the number of active VCPUs allowed for the domain",
        customSynopsis = "xl [-vtT] vcpu-set [option] <Domain> <vCPUs>")
final class VcpuSetCommand extends XlSubcommand {
    /** libxl's ERROR_FAIL, what libxl_set_vcpuonline returns for a count it refuses. */
    static final int ERROR_FAIL = -3;

    @Option(names = {"-i", "--ignore-host"}, description = "Don't limit the vCPU based on the host CPU count")
    boolean ignoreHost;

    @Parameters(index = "0", paramLabel = "Domain")
    String domain;

    @Parameters(index = "1", paramLabel = "vCPUs")
    String vcpus;

    VcpuSetCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        long domid = DomainQualifier.find(env, domain);
        Long parsed = strtoul(vcpus);
        if (parsed == null || Long.compareUnsigned(parsed, Integer.MAX_VALUE) > 0) {
            throw XlFailure.line("Error: Invalid argument.");
        }
        int count = (int) (long) parsed;
        if (!ignoreHost) {
            checkHost(domid, count);
        }
        try {
            env.control().domains().setVcpuOnline(SetVcpuOnlineRequest.newBuilder()
                    .setDomain(Long.toString(domid)).setCount(count).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw XlFailure.line("Domain " + domid + " does not exist.");
            }
            throw refused(e, "libxl_set_vcpuonline failed domid=" + domid + " max_vcpus=" + count + ", rc: "
                    + ERROR_FAIL);
        }
        return 0;
    }

    /** xl's check against the host: more vCPUs than are online now and than the host has pCPUs is refused. */
    private void checkHost(long domid, int count) throws XlFailure, HostNotRunningException {
        int hostCpus;
        long online;
        try {
            hostCpus = env.control().host().getHostInfo(com.google.protobuf.Empty.getDefaultInstance()).getMaxCpuId()
                    + 1;
            var domains = env.control().domains().listDomains(ListDomainsRequest.newBuilder()
                    .setDomain(Long.toString(domid)).build()).getDomainsList();
            if (domains.isEmpty()) {
                throw XlFailure.line("Domain " + domid + " does not exist.");
            }
            online = Integer.toUnsignedLong(domains.getFirst().getOnlineVcpus());
        } catch (StatusRuntimeException e) {
            throw refused(e, null);
        }
        if (count > online && count > hostCpus) {
            throw XlFailure.line("You are overcommmitting! You have " + hostCpus + " physical CPUs and want " + count
                    + " vCPUs! Aborting, use --ignore-host to continue");
        }
    }

    /**
     * C's {@code strtoul(s, &end, 10)} on a 64-bit unsigned long (as a Java long's bits), or null when it finds no
     * digits: leading white space, an optional sign (a minus negates, modulo 2^64), digits, and the rest ignored;
     * a value beyond 64 bits is ULONG_MAX.
     */
    static Long strtoul(String s) {
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long value = 0;
        boolean overflow = false;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int digit = s.charAt(i) - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                overflow = true;
            } else {
                value = value * 10 + digit;
            }
        }
        if (i == start) {
            return null;
        }
        if (overflow) {
            return -1L;
        }
        return negative ? -value : value;
    }
}
