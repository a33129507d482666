package org.hvsim.hv.sched.sim;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** {@code tools/bin/schedsim}: a scheduler policy over a synthetic workload, in the pure simulation. */
public final class SchedsimMain {
    private SchedsimMain() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), false);
        int exitCode = run(System.in, out, err, args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** schedsim with {@code args}: its exit code (2 for a bad command line or workload, 1 for an unreadable file). */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new SchedsimCommand(in, out, err));
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }
}
