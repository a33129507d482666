package org.hvsim.tools.hvsim;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.client.UnixSocketConnector;

/** {@code tools/bin/hvsim}: hvsim for the home in {@code $HVSIM_HOME} (default {@code ~/.hvsim}). */
public final class HvsimMain {
    private HvsimMain() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), false);
        HvsimHome home = HvsimHome.current();
        HvsimEnvironment env = new HvsimEnvironment(out, err, home, HypervisorLaunch.fromEnvironment(System.getenv()),
                new UnixSocketConnector(home.controlSocket()), HvsimEnvironment.READY_TIMEOUT,
                HvsimEnvironment.STOP_TIMEOUT);
        System.exit(HvsimCommandLine.run(env, args));
    }
}
