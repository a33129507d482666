package org.hvsim.hv.time;

/**
 * Xen's system time ({@code NOW()}): nanoseconds since the hypervisor booted, monotonic. Injected
 * everywhere time is read, so scheduling policies can be driven by a {@link ManualClock}.
 */
@FunctionalInterface
public interface HvClock {
    long now();
}
