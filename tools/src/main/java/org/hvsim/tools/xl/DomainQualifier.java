package org.hvsim.tools.xl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.tools.client.HostNotRunningException;

/**
 * A domain as named on xl's command line, resolved as libxl's {@code libxl_domain_qualifier_to_domid}
 * and xl's {@code find_domain} do: a string of digits is a domain id, taken as written (whether that domain
 * exists is found out by the operation that uses it); anything else is a name, looked up in the domain list,
 * and an unknown name ends xl with {@code "<name> is an invalid domain identifier (rc=-6)"}.
 */
public final class DomainQualifier {
    /** libxl's ERROR_INVAL, what the name lookup fails with. */
    public static final int ERROR_INVAL = -6;
    /** libxl's ERROR_DOMAIN_NOTFOUND, what operations on a domain id that does not exist fail with. */
    public static final int ERROR_DOMAIN_NOTFOUND = -21;

    private DomainQualifier() {
    }

    /** True if {@code qualifier} is a domain id: one or more ASCII digits and nothing else. */
    public static boolean isDomid(String qualifier) {
        if (qualifier.isEmpty()) {
            return false;
        }
        for (int i = 0; i < qualifier.length(); i++) {
            char c = qualifier.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A string of digits as a 32-bit domain id, as C's {@code strtoul} then a cast to uint32_t gives it. */
    public static long domid(String digits) {
        try {
            return Long.parseUnsignedLong(digits) & 0xFFFF_FFFFL;
        } catch (NumberFormatException e) {
            return 0xFFFF_FFFFL; // beyond 64 bits strtoul gives ULONG_MAX, whose low 32 bits are all ones
        }
    }

    /** The message xl prints when a name does not resolve. */
    public static String invalidIdentifier(String qualifier) {
        return qualifier + " is an invalid domain identifier (rc=" + ERROR_INVAL + ")";
    }

    /** xl's {@code find_domain}: the domain id {@code qualifier} names. */
    public static long find(XlEnvironment env, String qualifier) throws XlFailure, HostNotRunningException {
        if (isDomid(qualifier)) {
            return domid(qualifier);
        }
        try {
            var response = env.control().domains()
                    .listDomains(ListDomainsRequest.newBuilder().setDomain(qualifier).build());
            for (var domain : response.getDomainsList()) {
                if (domain.getName().equals(qualifier)) {
                    return Integer.toUnsignedLong(domain.getDomid());
                }
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
        throw XlFailure.line(invalidIdentifier(qualifier));
    }

    /** True if {@code e} is dom0 saying the domain does not exist. */
    public static boolean isNotFound(StatusRuntimeException e) {
        return e.getStatus().getCode() == Status.Code.NOT_FOUND;
    }
}
