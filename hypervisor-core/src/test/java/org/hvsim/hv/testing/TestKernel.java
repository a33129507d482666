package org.hvsim.hv.testing;

import java.nio.charset.StandardCharsets;
import org.hvsim.hv.abi.ConsoleInterface;
import org.hvsim.hv.abi.ConsoleIo;
import org.hvsim.hv.abi.EventCallback;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SchedOp;
import org.hvsim.hv.abi.VcpuOp;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.StartInfo;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnBindVirq;
import org.hvsim.hv.abi.evtchn.EvtchnSend;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;
import org.hvsim.hv.abi.sched.SchedShutdown;

/**
 * A small kernel for tests, using only the guest ABI; its command line picks what it does:
 * {@code hello} (prints to the console ring, powers off), {@code reason=N} (shuts down with reason N),
 * {@code dmesg} (prints with console_io, powers off), {@code spin} (burns CPU, counting in frame 9),
 * {@code idle} (blocks forever), {@code crash} (faults), {@code return} (returns from boot),
 * {@code ticks=N} (sleeps on N one-shot timers of 1 ms, counting them in frame 9, then powers off).
 * Pack it with {@link TestKernels#jarOf(java.nio.file.Path, Class, Class[])}.
 */
public final class TestKernel implements GuestKernel {
    /** A scratch page for hypercall arguments, above the builders' bootstrap pages. */
    static final long SCRATCH = Page.addressOf(8);
    /** Where spin and ticks count. */
    public static final long COUNTER = Page.addressOf(9);

    @Override
    public void boot(GuestCpu cpu, long startInfoAddress) {
        StartInfo si = StartInfo.read(cpu.memory(), startInfoAddress);
        String cmd = si.cmdLine();
        if (cmd.startsWith("reason=")) {
            shutdown(cpu, Integer.parseInt(cmd.substring(7)));
        } else if (cmd.startsWith("ticks=")) {
            ticks(cpu, si, Integer.parseInt(cmd.substring(6)));
        }
        switch (cmd) {
            case "hello" -> {
                console(cpu, si, "hello from the test kernel on vcpu" + cpu.vcpuId() + "\n");
                shutdown(cpu, ShutdownReason.POWEROFF.code());
            }
            case "dmesg" -> {
                byte[] b = ("hello via console_io: " + cmd + "\n").getBytes(StandardCharsets.UTF_8);
                cpu.memory().write(SCRATCH + 1024, b);
                cpu.hypercall(HypercallNr.CONSOLE_IO, ConsoleIo.WRITE, b.length, SCRATCH + 1024);
                shutdown(cpu, ShutdownReason.POWEROFF.code());
            }
            case "spin" -> {
                while (true) {
                    cpu.memory().putLong(COUNTER, cpu.memory().getLong(COUNTER) + 1);
                }
            }
            case "idle" -> {
                console(cpu, si, "idle\n");
                while (true) {
                    cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.BLOCK, 0);
                }
            }
            case "down-self" -> {
                // The domain's only vCPU takes itself down: Xen powers the domain off instead.
                cpu.hypercall(HypercallNr.VCPU_OP, VcpuOp.DOWN, cpu.vcpuId(), 0);
                while (true) {
                    cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.BLOCK, 0);
                }
            }
            case "crash" -> cpu.memory().getLong(1L << 40);
            case "return" -> { }
            default -> shutdown(cpu, ShutdownReason.CRASH.code());
        }
    }

    /** Writes {@code text} into the console ring (all of it fits in these tests) and notifies dom0. */
    static void console(GuestCpu cpu, StartInfo si, String text) {
        long ring = Page.addressOf(si.consoleMfn());
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int prod = cpu.memory().getInt(ring + ConsoleInterface.OUT_PROD);
        for (int i = 0; i < b.length; i++) {
            cpu.memory().putByte(ring + ConsoleInterface.OUT + ConsoleInterface.maskIndex(prod + i, ConsoleInterface.OUT_SIZE), b[i]);
        }
        cpu.memory().putIntRelease(ring + ConsoleInterface.OUT_PROD, prod + b.length);
        new EvtchnSend(si.consoleEvtchn()).write(cpu.memory(), SCRATCH);
        cpu.hypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.SEND, SCRATCH);
    }

    static void shutdown(GuestCpu cpu, int reason) {
        new SchedShutdown(reason).write(cpu.memory(), SCRATCH);
        cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.SHUTDOWN, SCRATCH);
    }

    private static void ticks(GuestCpu cpu, StartInfo si, int n) {
        new EvtchnBindVirq(Virq.TIMER, cpu.vcpuId(), 0).write(cpu.memory(), SCRATCH);
        if (cpu.hypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.BIND_VIRQ, SCRATCH) != 0) {
            throw new IllegalStateException("bind_virq failed");
        }
        int timerPort = EvtchnBindVirq.read(cpu.memory(), SCRATCH).port();
        TwoLevelEventScan events = new TwoLevelEventScan(cpu.memory(), si.sharedInfo());
        events.clearMask(timerPort);
        EventCallback cb = c -> events.scan(c.vcpuId(), port -> {
            if (port == timerPort) {
                c.memory().putLong(COUNTER, c.memory().getLong(COUNTER) + 1);
            }
        });
        cpu.registerEventCallback(cb);
        while (cpu.memory().getLong(COUNTER) < n) {
            long before = cpu.memory().getLong(COUNTER);
            cpu.hypercall(HypercallNr.SET_TIMER_OP, cpu.readTsc() + 1_000_000, 0);
            while (cpu.memory().getLong(COUNTER) == before) {
                cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.BLOCK, 0);
            }
        }
        shutdown(cpu, ShutdownReason.POWEROFF.code());
    }
}
