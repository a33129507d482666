package org.hvsim.tools.hvsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hvsim.tools.client.HvsimHome;
import org.hvsim.tools.client.UnixSocketConnector;
import org.hvsim.tools.xl.AwaitFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hvsim start, status and stop against a stand-in hypervisor, started as a real background process. */
class HvsimLifecycleTest {
    @TempDir
    Path tmp;

    private final List<ProcessHandle> started = new ArrayList<>();

    record Result(int exit, String out, String err) {
    }

    private HvsimEnvironment env(String mode, Duration readyTimeout, Duration stopTimeout, StringWriter out,
            StringWriter err) {
        HvsimHome home = new HvsimHome(tmp.resolve("home"));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        HypervisorLaunch launch = HypervisorLaunch.fromEnvironment(Map.of(
                "HVSIM_CLASS_PATH", classPath,
                "HVSIM_JVM_FLAGS", HypervisorLaunch.DEFAULT_JVM_FLAGS + " -Dstandin.mode=" + mode
                        + " -XX:TieredStopAtLevel=1 -Xshare:auto",
                "HVSIM_DIST", tmp.resolve("dist").toString()))
                .withMainClass(StandInHypervisor.class.getName());
        return new HvsimEnvironment(new PrintWriter(out), new PrintWriter(err), home, launch,
                new UnixSocketConnector(home.controlSocket()), readyTimeout, stopTimeout);
    }

    private Result run(String mode, Duration readyTimeout, Duration stopTimeout, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        HvsimEnvironment env = env(mode, readyTimeout, stopTimeout, out, err);
        int exit = HvsimCommandLine.run(env, args);
        Optional<ProcessHandle> host = PidFile.liveHypervisor(env.home().pidFile());
        host.ifPresent(started::add);
        return new Result(exit, out.toString(), err.toString());
    }

    private Result run(String... args) throws Exception {
        return run("serve", Duration.ofSeconds(60), Duration.ofSeconds(30), args);
    }

    @AfterEach
    void stopWhatWasStarted() {
        for (ProcessHandle p : started) {
            p.destroyForcibly();
        }
    }

    private Path home() {
        return tmp.resolve("home");
    }

    @Test
    void startStatusStop() throws Exception {
        assertEquals(3, run("status").exit());

        Result start = run("start", "--memory", "2G", "--cpus", "3", "--dom0-mem", "256");
        assertEquals(0, start.exit(), start.err());
        long pid = Long.parseLong(Files.readString(home().resolve("hypervisor.pid")).strip());
        assertEquals("hvsim: host started (pid " + pid + "): 2048 MiB, 3 pCPUs, scheduler credit; HVSIM_HOME=" + home()
                + "\n", start.out());
        String log = Files.readString(home().resolve("log/hypervisor.out"));
        assertTrue(log.contains("--memory 2147483648b --cpus 3 --sched credit --dom0-mem 268435456b"), log);
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home())));

        Result again = run("start");
        assertEquals(1, again.exit());
        assertEquals("hvsim: a host is already running in HVSIM_HOME=" + home() + " (pid " + pid
                + "); stop it with tools/bin/hvsim stop\n", again.err());

        Result status = run("status");
        assertEquals(0, status.exit(), status.err());
        assertEquals("hvsim: host running (pid " + pid + "); HVSIM_HOME=" + home() + "\n"
                + "memory:    2048 MiB, 1792 MiB free\n"
                + "pCPUs:     3\n"
                + "scheduler: credit\n"
                + "domains:   1\n", status.out());

        Result stop = run("stop");
        assertEquals(0, stop.exit(), stop.err());
        assertEquals("hvsim: host stopped (pid " + pid + ")\n", stop.out());
        assertFalse(Files.exists(home().resolve("hypervisor.pid")));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        assertEquals(3, run("status").exit());
        Result stopAgain = run("stop");
        assertEquals(0, stopAgain.exit());
        assertEquals("hvsim: no host is running in HVSIM_HOME=" + home() + "\n", stopAgain.out());
    }

    @Test
    void aHostThatExitsWhileStartingIsReportedWithItsLog() throws Exception {
        Result r = run("exit", Duration.ofSeconds(60), Duration.ofSeconds(30), "start", "--sched", "rr");

        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("hvsim: the host exited while starting (exit status 3); the last lines of "
                + home().resolve("log/hypervisor.out") + ":\n"), r.err());
        assertTrue(r.err().contains("\n  stand-in: refusing to start"), r.err());
        assertTrue(r.err().contains("--sched rr"), r.err());
        assertFalse(Files.exists(home().resolve("hypervisor.pid")));
    }

    @Test
    void aHostThatNeverAnswersIsStoppedAfterTheTimeout() throws Exception {
        Result r = run("hang", Duration.ofSeconds(3), Duration.ofSeconds(5), "start");

        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("hvsim: the host did not answer on " + home().resolve("control.sock")
                + " within 3 s, so it was stopped (pid "), r.err());
        assertFalse(Files.exists(home().resolve("hypervisor.pid")));
    }

    @Test
    void aHostThatIgnoresSigtermIsKilled() throws Exception {
        Files.createDirectories(home());
        // A host that ignores SIGTERM, as a hung one would.
        Process stubborn = new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("stubborn.out").toFile()).start();
        started.add(stubborn.toHandle());
        PidFile.write(home().resolve("hypervisor.pid"), stubborn.pid());
        AwaitFile.until(tmp.resolve("stubborn.out"), "ready");

        Result r = run("serve", Duration.ofSeconds(60), Duration.ofSeconds(1), "stop");

        assertEquals(0, r.exit(), r.err());
        assertEquals("hvsim: the host did not stop within 1 s of SIGTERM; killing it (pid " + stubborn.pid() + ")\n"
                + "hvsim: host stopped (pid " + stubborn.pid() + ")\n", r.out());
        assertFalse(stubborn.isAlive());
    }

    @Test
    void aStalePidFileIsNotAHost() throws Exception {
        Files.createDirectories(home());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        PidFile.write(home().resolve("hypervisor.pid"), gone.pid());

        Result status = run("status");
        assertEquals(1, status.exit());
        assertEquals("hvsim: no host is running in HVSIM_HOME=" + home() + " (a stale pid file names pid "
                + gone.pid() + ")\n", status.out());
    }

    @Test
    void dom0GetsHalfOfASmallMachineAnd512MOfALargeOne() throws Exception {
        assertEquals(0, run("start", "--memory", "768M", "--cpus", "1").exit());
        assertEquals(0, run("stop").exit());
        assertEquals(0, run("start", "--memory", "2G", "--cpus", "1").exit());
        assertEquals(0, run("stop").exit());
        String log = Files.readString(home().resolve("log/hypervisor.out"));
        assertTrue(log.contains("--memory 805306368b --cpus 1 --sched credit --dom0-mem 402653184b"), log);
        assertTrue(log.contains("--memory 2147483648b --cpus 1 --sched credit --dom0-mem 536870912b"), log);
    }

    @Test
    void badOptionsExit2() throws Exception {
        assertEquals("hvsim: --memory: '4GB' has an unknown unit 'GB' (b, k, m, g or t)\n",
                run("start", "--memory", "4GB").err());
        assertEquals(2, run("start", "--sched", "fifo").exit());
        assertEquals(2, run("start", "--cpus", "0").exit());
        assertEquals("hvsim: --dom0-mem (4096 MiB) must be at least 16 MiB and at most half of --memory (1024 MiB)\n",
                run("start", "--memory", "1G", "--dom0-mem", "4G").err());
        assertEquals("hvsim: --dom0-mem (600 MiB) must be at least 16 MiB and at most half of --memory (1024 MiB)\n",
                run("start", "--memory", "1G", "--dom0-mem", "600M").err());
        assertEquals("hvsim: --memory must be whole 4 KiB pages and at least 64 MiB, not 33554432 bytes\n",
                run("start", "--memory", "32M").err());
        assertEquals(2, run("start", "--cpus", "257").exit());
        assertFalse(Files.exists(home().resolve("hypervisor.pid")));
    }
}
