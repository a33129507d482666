package org.hvsim.tools.schedsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tools/bin/schedsim as a user runs it, with the workload on stdin. */
class SchedsimLauncherTest {
    private static final Path SCHEDSIM = Path.of("bin", "schedsim").toAbsolutePath();

    @TempDir
    Path tmp;

    private Process start(String stdin, String... args) throws Exception {
        Path in = tmp.resolve("in");
        Files.writeString(in, stdin, StandardCharsets.UTF_8);
        List<String> command = new java.util.ArrayList<>(List.of(SCHEDSIM.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        pb.environment().put("HVSIM_CLASSPATH",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "schedsim did not exit");
        return p;
    }

    @Test
    void theWeightsExampleFromStdin() throws Exception {
        Process p = start(SchedsimCommandTest.example("weights-1-2-4.txt"), "--duration", "2s", "-");

        assertEquals("", Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue());
        List<String> lines = Files.readAllLines(tmp.resolve("out"), StandardCharsets.UTF_8);
        assertEquals("scheduler credit, 1 pCPU, 2.000 s simulated", lines.get(0));
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(4).trim().startsWith("3   1024    0   5"), lines.get(4));
    }

    @Test
    void aBadLineIsOneLineOnStderrAndExit2() throws Exception {
        Process p = start("pcpus 1\ndomain x\n", "-");

        assertEquals(2, p.exitValue());
        assertEquals("", Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8));
        assertEquals("schedsim: stdin: line 2: domid is not a number: 'x'\n",
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }
}
