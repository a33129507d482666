package org.hvsim.tools.xl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import org.hvsim.tools.client.HostNotRunningException;
import org.hvsim.tools.xl.console.ConsoleSession;
import org.hvsim.tools.xl.console.Terminal;

/**
 * {@code xl console}'s work, shared with {@code xl create -c}: attach to a domain's console, run something
 * once attached (create unpauses the new domain then, so no early output is missed), put a terminal stdin
 * in raw mode, and forward until the escape character or the domain's end. Failing to attach is xl's
 * {@code Unable to attach console}.
 */
final class ConsoleAttachment {
    /** What to do once dom0 has attached the console. */
    @FunctionalInterface
    interface AfterAttach {
        void run(long domid) throws XlFailure;
    }

    private ConsoleAttachment() {
    }

    static int run(XlEnvironment env, String domain, int escape, AfterAttach afterAttach)
            throws XlFailure, HostNotRunningException {
        env.out().flush();
        try (ConsoleSession session = new ConsoleSession(env.control().domainsAsync(), env.in(), env.rawOut(),
                escape)) {
            long domid;
            try {
                domid = session.attach(domain);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                    throw e;
                }
                throw XlFailure.line("Unable to attach console");
            }
            afterAttach.run(domid);
            Terminal terminal = env.terminal();
            try (Terminal.RawMode raw = terminal.stdinIsTerminal() ? terminal.enterRawMode() : null) {
                session.run();
            } catch (IOException e) {
                throw XlFailure.line("xl: cannot put the terminal in raw mode: " + e.getMessage());
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw XlFailure.line("xl: interrupted");
        }
    }
}
