package org.hvsim.tools.hvsim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HypervisorLaunchTest {
    @Test
    void theCommandLineTheLauncherAsksFor() {
        HypervisorLaunch launch = HypervisorLaunch.fromEnvironment(Map.of(
                "HVSIM_JAVA", "/jdk/bin/java",
                "HVSIM_JVM_FLAGS", " --enable-native-access=ALL-UNNAMED  --sun-misc-unsafe-memory-access=allow ",
                "HVSIM_CLASS_PATH", "/dist/lib/*",
                "HVSIM_DIST", "/dist"));
        HostShape shape = new HostShape(Path.of("/home/u/.hvsim"), 4L << 30, 2, "rr", 512L << 20);

        List<String> command = launch.command(shape);

        List<String> expected = List.of("/jdk/bin/java", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", "/dist/lib/*", "org.hvsim.hv.boot.HypervisorMain",
                "--home", "/home/u/.hvsim", "--memory", "4294967296b", "--cpus", "2", "--sched", "rr",
                "--dom0-mem", "536870912b", "--kernels", "/dist/kernels");
        assertEquals(launch.newSession() ? "/usr/bin/setsid" : "/jdk/bin/java", command.get(0));
        assertEquals(expected, command.subList(launch.newSession() ? 1 : 0, command.size()));
    }

    @Test
    void withoutTheLauncherThisJvmsOwnJavaAndFlags() {
        HypervisorLaunch launch = HypervisorLaunch.fromEnvironment(Map.of());

        assertEquals(ProcessHandle.current().info().command().orElseThrow(), launch.java());
        assertEquals(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"), launch.jvmFlags());
    }
}
