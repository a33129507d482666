package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tools/bin/xl as a user runs it: POSIX sh, its own location found through symlinks, JDK 25 selected. */
class XlLauncherTest {
    private static final Path XL = Path.of("bin", "xl").toAbsolutePath();

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    private Result run(Path launcher, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        pb.environment().put("HVSIM_CLASSPATH",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        pb.environment().put("HVSIM_HOME", tmp.resolve("home").toString());
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "xl did not exit");
        return new Result(p.exitValue(), Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void helpExits0() throws Exception {
        Result r = run(XL, "help");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Usage xl [-vfNtT] <subcommand> [args]\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void throughASymlinkAndWithoutASubcommand() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("xl"), XL);

        Result r = run(link);

        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().startsWith("Usage xl [-vfNtT] <subcommand> [args]\n"), r.out());
    }

    @Test
    void aHostThatIsNotRunning() throws Exception {
        Result r = run(XL, "list");

        assertEquals(1, r.exit());
        assertEquals("xl: no hvsim host is running: " + tmp.resolve("home/control.sock")
                + " does not exist; start one with tools/bin/hvsim start\n", r.err());
    }
}
