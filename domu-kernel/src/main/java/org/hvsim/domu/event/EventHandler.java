package org.hvsim.domu.event;

import org.hvsim.domu.cpu.PerCpu;

/**
 * What the kernel does when a port fires. Runs in the upcall on {@code cpu}, with upcalls masked: it may
 * make non-blocking hypercalls (send, unmask) and take locks that are never held across a hypercall,
 * but must not block, sleep or print.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(PerCpu cpu, int port);
}
