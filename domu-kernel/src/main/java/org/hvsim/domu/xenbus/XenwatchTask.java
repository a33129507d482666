package org.hvsim.domu.xenbus;

import org.hvsim.domu.cpu.PerCpu;

/** Work for the xenwatch worker other than a watch event (what runs once xenstored is connected). */
@FunctionalInterface
public interface XenwatchTask {
    void run(PerCpu cpu);
}
