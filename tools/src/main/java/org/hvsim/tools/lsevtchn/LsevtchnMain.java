package org.hvsim.tools.lsevtchn;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.client.UnixSocketConnector;
import picocli.CommandLine;

/** {@code tools/bin/lsevtchn}: lsevtchn against the host in {@code $HVSIM_HOME} (default {@code ~/.hvsim}). */
public final class LsevtchnMain {
    private LsevtchnMain() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), false);
        int exitCode = run(out, err, new UnixSocketConnector(HvsimHome.current().controlSocket()), args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** lsevtchn with {@code args}: its exit code (2 for a bad command line, as picocli's usage errors). */
    public static int run(PrintWriter out, PrintWriter err, ControlPlaneConnector connector,
            String... args) {
        CommandLine cl = new CommandLine(new LsevtchnCommand(out, err, connector));
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }
}
