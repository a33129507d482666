package org.hvsim.hv.domain;

import org.hvsim.hv.abi.EventCallback;
import org.hvsim.hv.abi.EvtchnOp;
import org.hvsim.hv.abi.GuestCpu;
import org.hvsim.hv.abi.GuestKernel;
import org.hvsim.hv.abi.HypercallNr;
import org.hvsim.hv.abi.Page;
import org.hvsim.hv.abi.SchedOp;
import org.hvsim.hv.abi.ShutdownReason;
import org.hvsim.hv.abi.Virq;
import org.hvsim.hv.abi.evtchn.EvtchnBindVirq;
import org.hvsim.hv.abi.evtchn.TwoLevelEventScan;

/** Small kernels the lifecycle tests boot. Each uses only the guest ABI. */
final class TestKernelsForLifecycle {
    private TestKernelsForLifecycle() {}

    /** Prints its command line, then powers off (or shuts down with the reason the command line names). */
    public static final class Hello implements GuestKernel {
        @Override
        public void boot(GuestCpu cpu, long startInfo) {
            String cmd = TestKernelSupport.cmdline(cpu, startInfo);
            TestKernelSupport.print(cpu, "hello from d?v" + cpu.vcpuId() + ": " + cmd + "\n");
            int reason = cmd.startsWith("reason=") ? Integer.parseInt(cmd.substring(7)) : ShutdownReason.POWEROFF.code();
            TestKernelSupport.shutdown(cpu, reason);
        }
    }

    /** Touches a counter in its memory forever (a CPU burner that never yields or blocks). */
    public static final class Spin implements GuestKernel {
        @Override
        public void boot(GuestCpu cpu, long startInfo) {
            long counter = Page.addressOf(9);
            while (true) {
                cpu.memory().putLong(counter, cpu.memory().getLong(counter) + 1);
            }
        }
    }

    /** Dereferences memory it does not have. */
    public static final class Crash implements GuestKernel {
        @Override
        public void boot(GuestCpu cpu, long startInfo) {
            TestKernelSupport.print(cpu, "about to fault\n");
            cpu.memory().getLong(1L << 40);
        }
    }

    /** Returns from boot: a kernel that falls off its entry point has crashed. */
    public static final class Returns implements GuestKernel {
        @Override
        public void boot(GuestCpu cpu, long startInfo) {}
    }

    /**
     * Binds VIRQ_TIMER, then sleeps in SCHEDOP_block on one-shot timers 1 ms apart N times (N from the
     * command line), counting timer events in frame 9, then powers off.
     */
    public static final class Ticks implements GuestKernel {
        @Override
        public void boot(GuestCpu cpu, long startInfo) {
            int n = Integer.parseInt(TestKernelSupport.cmdline(cpu, startInfo));
            long sharedInfo = org.hvsim.hv.abi.StartInfo.read(cpu.memory(), startInfo).sharedInfo();
            long counter = Page.addressOf(9);
            new EvtchnBindVirq(Virq.TIMER, cpu.vcpuId(), 0).write(cpu.memory(), TestKernelSupport.SCRATCH);
            if (cpu.hypercall(HypercallNr.EVENT_CHANNEL_OP, EvtchnOp.BIND_VIRQ, TestKernelSupport.SCRATCH) != 0) {
                throw new IllegalStateException("bind_virq failed");
            }
            int timerPort = EvtchnBindVirq.read(cpu.memory(), TestKernelSupport.SCRATCH).port();
            TwoLevelEventScan events = new TwoLevelEventScan(cpu.memory(), sharedInfo);
            events.clearMask(timerPort);
            EventCallback cb = c -> events.scan(c.vcpuId(), port -> {
                if (port == timerPort) {
                    c.memory().putLong(counter, c.memory().getLong(counter) + 1);
                }
            });
            cpu.registerEventCallback(cb);
            while (cpu.memory().getLong(counter) < n) {
                long before = cpu.memory().getLong(counter);
                cpu.hypercall(HypercallNr.SET_TIMER_OP, cpu.readTsc() + 1_000_000, 0);
                while (cpu.memory().getLong(counter) == before) {
                    cpu.hypercall(HypercallNr.SCHED_OP, SchedOp.BLOCK, 0);
                }
            }
            TestKernelSupport.shutdown(cpu, ShutdownReason.POWEROFF.code());
        }
    }
}
