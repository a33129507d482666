package org.hvsim.tools.lsevtchn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tools/bin/lsevtchn as a user runs it, with no host in its home. */
class LsevtchnLauncherTest {
    private static final Path LSEVTCHN = Path.of("bin", "lsevtchn").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void aHostThatIsNotRunningIsXlsMessage() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LSEVTCHN.toString(), "1")
                .redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        pb.environment().put("HVSIM_CLASSPATH",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        pb.environment().put("HVSIM_HOME", tmp.resolve("home").toString());
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "lsevtchn did not exit");

        assertEquals(1, p.exitValue());
        assertEquals("", Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8));
        assertEquals("lsevtchn: no hvsim host is running: " + tmp.resolve("home/control.sock")
                + " does not exist; start one with tools/bin/hvsim start\n",
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }
}
