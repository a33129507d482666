package org.hvsim.domu.app;

import org.hvsim.domu.cpu.PerCpu;
import org.hvsim.domu.kernel.Kernel;
import org.hvsim.domu.time.Durations;

/** {@code hello}: prints {@code Hello, world!} and what it ran on, then powers off. */
final class HelloApp implements App {
    @Override
    public void run(Kernel kernel, PerCpu cpu) {
        kernel.println(cpu, "Hello, world!");
        long xen = cpu.hypercalls().xenVersion();
        kernel.println(cpu, "hello: from vCPU " + cpu.id() + " of " + kernel.vcpus() + ", "
                + Durations.millis(cpu.now() - kernel.bootTime()) + " after boot, on Xen "
                + (xen >>> 16) + "." + (xen & 0xffff));
    }
}
