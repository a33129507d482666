package org.hvsim.tools.xl;

import org.hvsim.proto.control.DomainInfo;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.tools.client.HostNotRunningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xl domname <DomainId>}: the name of a domain id. The id is read as C's {@code strtol} reads it
 * (leading blanks, a sign, the digits up to the first non-digit), then taken as a uint32_t, as xl does.
 */
@Command(name = "domname", description = "Convert a domain id to domain name", customSynopsis = "xl [-vtT] domname <DomainId>")
final class DomnameCommand extends XlSubcommand {
    @Parameters(index = "0", paramLabel = "DomainId")
    String id;

    DomnameCommand(XlEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws XlFailure, HostNotRunningException {
        Long parsed = strtol(id);
        if (parsed == null) {
            throw new XlFailure("Invalid domain id.\n\n", 1);
        }
        long domid = parsed & 0xFFFF_FFFFL;
        for (DomainInfo d : env.control().domains().listDomains(ListDomainsRequest.getDefaultInstance())
                .getDomainsList()) {
            if (Integer.toUnsignedLong(d.getDomid()) == domid) {
                env.out().print(d.getName() + "\n");
                return 0;
            }
        }
        throw XlFailure.line("Can't get domain name of domain id '" + domid
                + "', maybe this domain does not exist.");
    }

    /** C's {@code strtol(s, &end, 10)} on a 64-bit long, or null when it finds no digits at all. */
    static Long strtol(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
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
            if (value > (Long.MAX_VALUE - digit) / 10) {
                overflow = true;
            } else {
                value = value * 10 + digit;
            }
        }
        if (i == start) {
            return null;
        }
        if (overflow) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -value : value;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
