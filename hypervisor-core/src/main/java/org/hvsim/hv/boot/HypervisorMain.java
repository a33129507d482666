package org.hvsim.hv.boot;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.hvsim.hv.HostIdentity;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.memory.MachineMemory;
import org.hvsim.hv.sched.RoundRobinPolicy;
import org.hvsim.hv.sched.credit.CreditPolicy;
import org.hvsim.hv.sched.SchedulerPolicy;
import org.hvsim.hv.time.MonotonicClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The hypervisor process: boots the machine in a state directory, builds dom0, serves the privcmd
 * channel and starts (and restarts) the dom0 process; stops cleanly on SIGTERM, or when dom0 shuts the
 * host down. Started by {@code hvsim start}.
 */
@Command(name = "hvsim-hypervisor", mixinStandardHelpOptions = true,
        description = "The hvsim hypervisor process (started by 'hvsim start').")
public final class HypervisorMain implements Callable<Integer> {
    @Option(names = "--home", required = true, description = "State directory (HVSIM_HOME).")
    Path home;

    @Option(names = "--memory", defaultValue = "4G", description = "Machine memory, e.g. 4G (default ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--memory-dir", defaultValue = "/dev/shm", description = "Where the machine memory file lives.")
    Path memoryDir;

    @Option(names = "--cpus", description = "Number of pCPUs (default: available processors).")
    Integer cpus;

    @Option(names = "--sched", defaultValue = "credit", description = "Scheduling policy: credit (default) or rr.")
    String sched;

    @Option(names = "--dom0-mem", defaultValue = "512M", description = "dom0's memory (default ${DEFAULT-VALUE}).")
    String dom0Memory;

    @Option(names = "--dom0-vcpus", description = "dom0's vCPUs (default: as many as pCPUs).")
    Integer dom0Vcpus;

    @Option(names = "--kernels", required = true, description = "Directory of the built-in kernel jars.")
    Path kernels;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HypervisorMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int n = cpus != null ? cpus : Runtime.getRuntime().availableProcessors();
        HostConfig config = new HostConfig(home.toAbsolutePath(), Sizes.parse(memory), memoryDir, n, sched,
                Sizes.parse(dom0Memory), dom0Vcpus != null ? dom0Vcpus : n, kernels.toAbsolutePath());
        SchedulerPolicy policy = policy(config.sched());
        Files.createDirectories(config.logDir());
        try (FileChannel lockChannel = FileChannel.open(config.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                System.err.println("hvsim: a hypervisor already runs in " + config.home());
                return 1;
            }
            StaleMachineMemory.remove(config.memoryLink()).ifPresent(stale ->
                    System.err.println("hvsim: removed " + stale + ", the machine memory of a host that died in " + config.home()));
            Path memoryFile = config.memoryDir().resolve("hvsim-" + ProcessHandle.current().pid() + ".mem");
            MachineMemory machine = MachineMemory.create(memoryFile, config.memoryBytes());
            Hypervisor hv = new Hypervisor(HostIdentity.of(config.commandLine()), new MonotonicClock(), machine, policy, n);
            HostRuntime runtime = new HostRuntime(config, machine, hv);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = Thread.ofPlatform().name("hvsim-shutdown").unstarted(() -> {
                runtime.close();
                stopped.countDown();
            });
            Runtime.getRuntime().addShutdownHook(hook);
            hv.onHostShutdownRequest(reason -> Thread.ofPlatform().name("dom0-shutdown").start(() -> System.exit(0)));
            runtime.start();
            stopped.await();
            return 0;
        }
    }

    static SchedulerPolicy policy(String name) {
        return switch (name) {
            case "rr" -> new RoundRobinPolicy();
            case "credit" -> new CreditPolicy();
            default -> throw new CommandLine.ParameterException(new CommandLine(new HypervisorMain()),
                    "unknown scheduler '" + name + "' (available: rr, credit)");
        };
    }
}
