package org.hvsim.tools.hvsim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.client.TemporaryDirectory;
import org.hvsim.tools.hvsim.demo.DemoScript;
import org.hvsim.tools.hvsim.demo.DemoShell;
import org.hvsim.tools.lsevtchn.LsevtchnMain;
import org.hvsim.tools.hvsim.demo.Utf8WriterStream;
import org.hvsim.tools.xl.XlCommandLine;
import org.hvsim.tools.xl.XlEnvironment;
import org.hvsim.tools.xl.console.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hvsim demo [--memory SIZE] [--cpus N]}: runs {@link DemoScript} against a fresh host in a temporary
 * HVSIM_HOME (never the user's own), with {@code hvsim} and {@code xl} run in this process exactly as their
 * command lines would run them, and removes the home afterwards. Exit 0 if every step succeeded.
 */
@Command(name = "demo", description = "Start a host in a temporary HVSIM_HOME, show xl at work, and stop it")
final class DemoCommand extends HvsimSubcommand {
    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "1G",
            description = "The demo host's machine memory (default ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "2",
            description = "The demo host's physical CPUs (default ${DEFAULT-VALUE}).")
    int cpus;

    DemoCommand(HvsimEnvironment env) {
        super(env);
    }

    @Override
    protected int run() throws IOException {
        try (TemporaryDirectory tmp = TemporaryDirectory.create("hvsim-demo-")) {
            HvsimHome home = new HvsimHome(tmp.path());
            say("a demo host in HVSIM_HOME=" + home.dir() + " (removed at the end); with that HVSIM_HOME, "
                    + "each command below is one you can type: tools/bin/hvsim, tools/bin/xl");
            HvsimEnvironment hostEnv = env.withHome(home);
            DemoScript script = new DemoScript(env.out(), new InProcessShell(hostEnv), home.dir());
            int exit = script.run(List.of("--memory", memory, "--cpus", Integer.toString(cpus)));
            say(exit == 0 ? "done" : "failed (exit " + exit + "); the host's log was " + home.hypervisorLog());
            return exit;
        }
    }

    /** hvsim and xl for the demo's host, in this JVM, writing to this command's output. */
    private static final class InProcessShell implements DemoShell {
        private final HvsimEnvironment hostEnv;
        private final OutputStream rawOut;

        InProcessShell(HvsimEnvironment hostEnv) {
            this.hostEnv = hostEnv;
            this.rawOut = new Utf8WriterStream(hostEnv.out());
        }

        @Override
        public int hvsim(String... args) {
            return HvsimCommandLine.run(hostEnv, args);
        }

        @Override
        public int lsevtchn(String... args) {
            return LsevtchnMain.run(hostEnv.out(), hostEnv.err(), hostEnv.connector(), args);
        }

        @Override
        public int xl(String... args) {
            try (XlEnvironment xl = new XlEnvironment(hostEnv.out(), hostEnv.err(), rawOut,
                    InputStream.nullInputStream(), hostEnv.connector(), Clock.systemDefaultZone(),
                    Terminal.none("the demo's xl console reads no terminal"))) {
                return XlCommandLine.run(xl, args);
            }
        }
    }
}
