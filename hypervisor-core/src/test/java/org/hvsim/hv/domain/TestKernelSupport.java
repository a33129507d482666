package org.hvsim.hv.domain;

import java.nio.charset.StandardCharsets;
import org.hvsim.hv.abi.ConsoleIo;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SchedOp;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.sched.SchedShutdown;

/** What the test kernels share; like them it uses only the guest ABI (it is packed into their jars). */
final class TestKernelSupport {
    /** A scratch page for hypercall arguments, above the builder's bootstrap pages. */
    static final long SCRATCH = Page.addressOf(8);

    private TestKernelSupport() {}

    static void print(GuestCpu cpu, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        cpu.memory().write(SCRATCH + 1024, b);
        cpu.hypercall(HypercallNr.CONSOLE_IO, ConsoleIo.WRITE, b.length, SCRATCH + 1024);
    }

    static long shutdown(GuestCpu cpu, int reason) {
        new SchedShutdown(reason).write(cpu.memory(), SCRATCH);
        return cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.SHUTDOWN, SCRATCH);
    }

    static String cmdline(GuestCpu cpu, long startInfo) {
        return StartInfo.read(cpu.memory(), startInfo).cmdLine();
    }
}
