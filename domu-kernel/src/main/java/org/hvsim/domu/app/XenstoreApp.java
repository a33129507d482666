package org.hvsim.domu.app;

import java.util.Optional;
import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.domu.xenbus.XenbusClient;
import org.hvsim.domu.xenbus.XenbusException;
import org.hvsim.domu.xenbus.XenbusTransaction;

/**
 * {@code xenstore}: exercises the domain's XenStore connection and reports on the console, for tests and for
 * trying permissions by hand. It writes {@code data/hello = world} and reads it back, reads its own
 * {@code name} and {@code domid}, lists {@code data}, tries to write {@code /local/domain/0/forbidden} (which
 * a domU may not: it prints the error, {@code EACCES}), then idles with a watch on {@code data/ping}: each
 * non-empty value written there is echoed to {@code data/pong} and printed. Every result is one line
 * {@code xenstore: <what> = <value or error name>}.
 */
final class XenstoreApp implements App {
    static final String PING = "data/ping";
    static final String PONG = "data/pong";
    static final String FORBIDDEN = "/local/domain/0/forbidden";

    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        Optional<XenbusClient> xs = kernel.xenbus();
        if (xs.isEmpty()) {
            kernel.println(cpu, "xenstore: this domain has no xenstore ring");
            return;
        }
        XenbusClient c = xs.get();
        XenbusTransaction nil = XenbusTransaction.NIL;
        kernel.println(cpu, "xenstore: write data/hello = " + attempt(() -> {
            c.write(cpu, nil, "data/hello", "world");
            return "OK";
        }));
        kernel.println(cpu, "xenstore: data/hello = " + attempt(() -> c.read(cpu, nil, "data/hello")));
        kernel.println(cpu, "xenstore: name = " + attempt(() -> c.read(cpu, nil, "name")));
        kernel.println(cpu, "xenstore: domid = " + attempt(() -> c.read(cpu, nil, "domid")));
        kernel.println(cpu, "xenstore: data = " + attempt(() -> String.join(" ", c.directory(cpu, nil, "data"))));
        kernel.println(cpu, "xenstore: write " + FORBIDDEN + " = " + attempt(() -> {
            c.write(cpu, nil, FORBIDDEN, "1");
            return "OK";
        }));
        kernel.println(cpu, "xenstore: watch " + PING + " = " + attempt(() -> {
            c.watch(cpu, PING, (wcpu, path) -> pinged(kernel, c, wcpu));
            return "OK";
        }));
        kernel.println(cpu, "xenstore: idling");
        kernel.idle(cpu);
    }

    /** {@code data/ping} changed (xenwatch worker): echo a non-empty value to {@code data/pong}. */
    private static void pinged(Kernel kernel, XenbusClient c, PerCpu cpu) {
        String value;
        try {
            value = c.read(cpu, XenbusTransaction.NIL, PING);
        } catch (XenbusException e) {
            return;
        }
        if (value.isEmpty()) {
            return;
        }
        c.write(cpu, XenbusTransaction.NIL, PONG, value);
        kernel.println(cpu, "xenstore: ping = " + value);
    }

    private interface Request {
        String run();
    }

    private static String attempt(Request r) {
        try {
            return r.run();
        } catch (XenbusException e) {
            return e.error().name();
        }
    }
}
