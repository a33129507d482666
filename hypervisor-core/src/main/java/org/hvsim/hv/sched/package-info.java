/**
 * Scheduling: pCPU worker threads, vCPUs as virtual threads carried by them, and scheduling policies
 * behind an interface shaped like Xen's {@code struct scheduler}.
 */
package org.hvsim.hv.sched;
