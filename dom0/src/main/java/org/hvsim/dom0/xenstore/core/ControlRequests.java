package org.hvsim.dom0.xenstore.core;

import java.util.List;
import java.util.Locale;
import org.hvsim.dom0.xenstore.store.XenstoreException;
import org.hvsim.dom0.xenstore.wire.XsNumbers;
import org.hvsim.dom0.xenstore.wire.XsPayload;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONTROL {@code cmd|[args|]*} ({@code tools/xenstored/control.c}), privileged: {@code check},
 * {@code print}, {@code quota}, {@code quota-soft} and {@code help}, with C xenstored's text formats.
 * Any other command, including C's log, logfile, memreport and live-update, is EINVAL as an unknown
 * command is there. Threads: the dispatch thread only.
 */
final class ControlRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ControlRequests.class);

    private record Command(String name, String pars, RequestBody body) {}

    @FunctionalInterface
    private interface RequestBody {
        void run(Request r, List<String> args);
    }

    private final XenstoredCore core;
    private final List<Command> commands;

    ControlRequests(XenstoredCore core) {
        this.core = core;
        this.commands = List.of(
                new Command("check", "", this::check),
                new Command("print", "<string>", this::print),
                new Command("quota", "[set <name> <val>|<domid>|max [-r]]", this::quota),
                new Command("quota-soft", "[set <name> <val>]", this::quotaSoft),
                new Command("help", "", this::help));
    }

    void control(Request r) {
        byte[] p = r.payload();
        int nul = XsPayload.indexOfNul(p, 0);
        if (nul < 0) {
            throw new XenstoreException(XsdError.EINVAL, "CONTROL needs a command");
        }
        String name = XsPayload.latin1(p, 0, nul);
        for (Command c : commands) {
            if (c.name().equals(name)) {
                List<String> all = XsPayload.strings(p);
                c.body().run(r, all.subList(1, all.size()));
                return;
            }
        }
        throw new XenstoreException(XsdError.EINVAL, "unknown CONTROL command " + name);
    }

    private void check(Request r, List<String> args) {
        requireArgs(args.isEmpty());
        core.check();
        r.ack();
    }

    private void print(Request r, List<String> args) {
        requireArgs(args.size() == 1);
        LOG.info("control: {}", args.getFirst());
        r.ack();
    }

    private void quota(Request r, List<String> args) {
        if (args.isEmpty()) {
            r.reply(text(settings(false)));
        } else if (args.getFirst().equals("set")) {
            set(r, args.subList(1, args.size()), false);
        } else if (args.getFirst().equals("max")) {
            requireArgs(args.size() <= 2);
            if (args.size() == 2) {
                requireArgs(args.get(1).equals("-r"));
                core.resetMaxSeen();
            }
            StringBuilder sb = new StringBuilder("Max. seen accounting values:\n");
            for (Quota q : Quota.values()) {
                sb.append(String.format(Locale.ROOT, "%-17s: %8d\n", q.xsName(), core.quotas().maxSeen(q)));
            }
            r.reply(text(sb.toString()));
        } else {
            requireArgs(args.size() == 1);
            long domid = XsNumbers.atoiUnsigned(args.getFirst());
            Domain d = domid > 0xFFFF ? null : core.domains().find((int) domid);
            if (d == null) {
                throw new XenstoreException(XsdError.ENOENT, "no domain " + domid);
            }
            StringBuilder sb = new StringBuilder("Domain " + domid + ":\n");
            for (Quota q : Quota.values()) {
                sb.append(String.format(Locale.ROOT, "%-17s: %8d (max %8d)\n", q.xsName(), d.usage(q), d.maxSeen(q)));
            }
            r.reply(text(sb.toString()));
        }
    }

    private void quotaSoft(Request r, List<String> args) {
        if (args.isEmpty()) {
            r.reply(text(settings(true)));
        } else if (args.getFirst().equals("set")) {
            set(r, args.subList(1, args.size()), true);
        } else {
            throw new XenstoreException(XsdError.EINVAL, "quota-soft takes set <name> <val>");
        }
    }

    private String settings(boolean soft) {
        StringBuilder sb = new StringBuilder("Quota settings:\n");
        for (Quota q : Quota.values()) {
            if (soft && !q.hasSoft()) {
                continue;
            }
            long val = soft ? core.quotas().soft(q) : core.quotas().hard(q);
            String descr = soft ? Quota.SOFT_MEMORY_DESCRIPTION : q.description();
            sb.append(String.format(Locale.ROOT, "%-17s: %8d %s\n", q.xsName(), val, descr));
        }
        return sb.toString();
    }

    private void set(Request r, List<String> args, boolean soft) {
        requireArgs(args.size() == 2);
        int val = XsNumbers.atoi(args.get(1));
        Quota q = Quota.named(args.get(0)).filter(x -> !soft || x.hasSoft())
                .orElseThrow(() -> new XenstoreException(XsdError.EINVAL, "unknown quota " + args.get(0)));
        if (val < 1) {
            throw new XenstoreException(XsdError.EINVAL, "a quota is at least 1");
        }
        if (soft) {
            core.quotas().setSoft(q, val);
        } else {
            core.quotas().setHard(q, val);
        }
        r.ack();
    }

    private void help(Request r, List<String> args) {
        requireArgs(args.isEmpty());
        StringBuilder sb = new StringBuilder();
        for (Command c : commands) {
            sb.append(String.format(Locale.ROOT, "%-15s %s\n", c.name(), c.pars()));
        }
        r.reply(text(sb.toString()));
    }

    private static void requireArgs(boolean ok) {
        if (!ok) {
            throw new XenstoreException(XsdError.EINVAL, "wrong CONTROL arguments");
        }
    }

    /** A text reply: the string and its terminating NUL. */
    private static byte[] text(String s) {
        return XsPayload.cString(s);
    }
}
