/** Time: system time in integer nanoseconds from an injected clock, and the hypervisor's timers. */
package org.hvsim.hv.time;
