/**
 * {@code hvsim bench}: host-level measurements against a real host (hypervisor and dom0 processes): domain
 * creation latency at a given number of running domains, and the cost of a null hypercall.
 */
package org.hvsim.tools.hvsim.bench;
