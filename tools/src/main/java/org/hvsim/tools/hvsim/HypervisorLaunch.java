package org.hvsim.tools.hvsim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code hvsim start} runs the hypervisor: the java binary, JVM flags and class path that the
 * {@code tools/bin/hvsim} launcher used (it passes them in {@code HVSIM_JAVA}, {@code HVSIM_JVM_FLAGS},
 * {@code HVSIM_CLASS_PATH}), the distribution's kernels directory ({@code HVSIM_DIST/kernels}), and the
 * main class. The process gets its own session ({@code setsid}, where present) so that a Ctrl-C meant for
 * the shell does not reach the host.
 */
public record HypervisorLaunch(String java, List<String> jvmFlags, String classPath, Path kernels,
        String mainClass, boolean newSession) {
    /** The root pom's {@code hvsim.jvm.flags}, for when the launcher did not pass them. */
    public static final String DEFAULT_JVM_FLAGS = "--add-opens=java.base/java.lang=ALL-UNNAMED "
            + "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    public HypervisorLaunch {
        Objects.requireNonNull(java, "java");
        jvmFlags = List.copyOf(jvmFlags);
        Objects.requireNonNull(classPath, "classPath");
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(mainClass, "mainClass");
    }

    /** From the launcher's environment, falling back on this JVM's own java, class path and location. */
    public static HypervisorLaunch fromEnvironment(Map<String, String> env) {
        String java = env.getOrDefault("HVSIM_JAVA",
                ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                        "java").toString()));
        String flags = env.getOrDefault("HVSIM_JVM_FLAGS", DEFAULT_JVM_FLAGS);
        String classPath = env.getOrDefault("HVSIM_CLASS_PATH", System.getProperty("java.class.path"));
        Path dist = env.containsKey("HVSIM_DIST") ? Path.of(env.get("HVSIM_DIST")) : Path.of("tools", "target",
                "hvsim");
        return new HypervisorLaunch(java, words(flags), classPath, dist.resolve("kernels"), PidFile.HYPERVISOR_MAIN,
                Files.isExecutable(SETSID));
    }

    /** The same launch with another main class (tests run a stand-in hypervisor). */
    public HypervisorLaunch withMainClass(String otherMainClass) {
        return new HypervisorLaunch(java, jvmFlags, classPath, kernels, otherMainClass, newSession);
    }

    /** The command line for a host of this shape. */
    public List<String> command(HostShape shape) {
        List<String> command = new ArrayList<>();
        if (newSession) {
            command.add(SETSID.toString());
        }
        command.add(java);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(
                "--home", shape.home().toString(),
                "--memory", shape.memoryBytes() + "b",
                "--cpus", Integer.toString(shape.cpus()),
                "--sched", shape.scheduler(),
                "--dom0-mem", shape.dom0MemoryBytes() + "b",
                "--kernels", kernels.toAbsolutePath().toString()));
        return command;
    }

    private static List<String> words(String flags) {
        return Arrays.stream(flags.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
