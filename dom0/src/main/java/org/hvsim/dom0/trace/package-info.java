/**
 * dom0's side of the hypervisor's scheduler trace (xentrace's consumer): one recording at a time
 * takes the batches the hypervisor sends over the privcmd channel into a bounded queue, which the
 * control plane's TraceService streams to its client.
 */
package org.hvsim.dom0.trace;
