/**
 * The hypervisor's trace buffers (what xentrace's per-CPU buffers are in Xen): recorders write
 * fixed-size records of three 64-bit words into striped, bounded buffers without waiting; a
 * collector thread hands time-ordered batches to one consumer (dom0, over the privcmd channel); a
 * full buffer or a slow consumer loses records, counted, never time of the recorders. The event
 * channel trace and the scheduler trace are both built on it, each with its own record layout.
 */
package org.hvsim.hv.trace;
