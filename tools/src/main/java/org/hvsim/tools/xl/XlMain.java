package org.hvsim.tools.xl;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.client.UnixSocketConnector;
import org.hvsim.tools.xl.console.SttyTerminal;

/** {@code tools/bin/xl}: xl against the host in {@code $HVSIM_HOME} (default {@code ~/.hvsim}). */
public final class XlMain {
    private XlMain() {
    }

    public static void main(String[] args) {
        FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), false);
        int exitCode;
        try (XlEnvironment env = new XlEnvironment(out, err, stdout, new FileInputStream(FileDescriptor.in),
                new UnixSocketConnector(HvsimHome.current().controlSocket()), Clock.systemDefaultZone(),
                new SttyTerminal())) {
            exitCode = XlCommandLine.run(env, args);
        }
        System.exit(exitCode);
    }
}
