package org.hvsim.domu.app;

import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;

/** {@code idle}: every vCPU blocks forever, waking only to handle events. */
final class IdleApp implements App {
    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        kernel.idle(cpu);
    }
}
