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

/**
 * tools/bin/schedsim as a user runs it: an example workload of hypervisor-core by its path in the source tree
 * (as the README gives it), and a bad workload on stdin. The command itself is org.hvsim.hv.sched.sim.SchedsimMain,
 * which the class path of tools holds at run time.
 */
class SchedsimLauncherTest {
    private static final Path SCHEDSIM = Path.of("bin", "schedsim").toAbsolutePath();
    private static final Path EXAMPLES = Path.of("..", "hypervisor-core", "src", "main", "resources",
            "org", "hvsim", "hv", "sched", "sim").toAbsolutePath().normalize();

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
    void theWeightsExampleFile() throws Exception {
        Path example = EXAMPLES.resolve("weights-1-2-4.txt");
        assertTrue(Files.isRegularFile(example), example + " is missing");
        Process p = start("", "--duration", "2s", example.toString());

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
