package org.hvsim.dom0.xenstore.core;

import java.util.List;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.store.XsPath;
import org.hvsim.dom0.xenstore.wire.XsNumbers;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.DomId;
import org.hvsim.hv.abi.xenstore.XsdError;

/**
 * INTRODUCE, RELEASE, RESUME, GET_DOMAIN_PATH and IS_DOMAIN_INTRODUCED ({@code tools/xenstored/domain.c}).
 * Domain ids are read with {@code atoi()}, as C xenstored reads them. Threads: the dispatch thread only.
 */
final class DomainRequests {
    private static final byte[] TRUE = {'T', 0};
    private static final byte[] FALSE = {'F', 0};

    private final XenstoredCore core;
    private final DomainConnector connector;

    DomainRequests(XenstoredCore core, DomainConnector connector) {
        this.core = core;
        this.connector = connector;
    }

    /** INTRODUCE {@code domid|gfn|evtchn|}. */
    void introduce(Request r) {
        List<String> args = XsPayload.strings(r.payload());
        if (args.size() < 3) {
            throw new XenstoreException(XsdError.EINVAL, "INTRODUCE takes a domid, a frame and a port");
        }
        long domid = XsNumbers.atoiUnsigned(args.get(0));
        long gfn = XsNumbers.atol(args.get(1));
        long port = XsNumbers.atoiUnsigned(args.get(2));
        if (port == 0 || port > Integer.MAX_VALUE) {
            throw new XenstoreException(XsdError.EINVAL, "bad event channel port");
        }
        if (domid >= DomId.FIRST_RESERVED) {
            throw new XenstoreException(XsdError.EINVAL, "bad domid");
        }
        core.introduce((int) domid, gfn, (int) port, connector);
        r.ack();
    }

    /** RELEASE {@code domid|}. */
    void release(Request r) {
        core.release(introducedDomain(r));
        r.ack();
    }

    /** RESUME {@code domid|}. */
    void resume(Request r) {
        core.resume(introducedDomain(r));
        r.ack();
    }

    /** GET_DOMAIN_PATH {@code domid|}: {@code /local/domain/<domid>} with a NUL. */
    void getDomainPath(Request r) {
        String arg = r.oneArg();
        if (arg == null) {
            throw new XenstoreException(XsdError.EINVAL, "GET_DOMAIN_PATH takes a domid");
        }
        r.reply(XsPayload.cString(XsPath.domainPath(XsNumbers.atoiUnsigned(arg))));
    }

    /** IS_DOMAIN_INTRODUCED {@code domid|}: {@code T} or {@code F} with a NUL; DOMID_SELF is always T. */
    void isDomainIntroduced(Request r) {
        String arg = r.oneArg();
        if (arg == null) {
            throw new XenstoreException(XsdError.EINVAL, "IS_DOMAIN_INTRODUCED takes a domid");
        }
        long domid = XsNumbers.atoiUnsigned(arg);
        boolean yes = domid == DomId.SELF || (domid < DomId.FIRST_RESERVED && core.isIntroduced((int) domid));
        r.reply(yes ? TRUE : FALSE);
    }

    /** The introduced, non-dom0 domain named by the single argument ({@code onearg_domain()}). */
    private int introducedDomain(Request r) {
        String arg = r.oneArg();
        if (arg == null) {
            throw new XenstoreException(XsdError.EINVAL, "a domid is expected");
        }
        long domid = XsNumbers.atoiUnsigned(arg);
        if (domid == DomId.DOM0) {
            throw new XenstoreException(XsdError.EINVAL, "not for dom0");
        }
        if (domid >= DomId.FIRST_RESERVED || !core.isIntroduced((int) domid)) {
            throw new XenstoreException(XsdError.ENOENT, "domain " + domid + " is not introduced");
        }
        return (int) domid;
    }
}
