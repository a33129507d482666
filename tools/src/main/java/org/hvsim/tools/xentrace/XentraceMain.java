package org.hvsim.tools.xentrace;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.client.UnixSocketConnector;
import org.hvsim.tools.xl.ShutdownHookInterrupts;
import picocli.CommandLine;

/** {@code tools/bin/xentrace}: xentrace against the host in {@code $HVSIM_HOME} (default {@code ~/.hvsim}). */
public final class XentraceMain {
    /** Time Ctrl-C leaves xentrace to write the file of what it recorded. */
    private static final long WRITE_GRACE_MILLIS = 60_000;

    private XentraceMain() {
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), false);
        XentraceCommand command = new XentraceCommand(err, () -> new FileOutputStream(FileDescriptor.out),
                System.console() != null, new UnixSocketConnector(HvsimHome.current().controlSocket()),
                new ShutdownHookInterrupts(WRITE_GRACE_MILLIS));
        CommandLine cl = new CommandLine(command);
        cl.setErr(err);
        int exitCode = cl.execute(args);
        err.flush();
        System.exit(exitCode);
    }
}
