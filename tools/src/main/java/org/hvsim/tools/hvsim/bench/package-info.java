/**
 * {@code hvsim bench}: host-level measurements against a real host (hypervisor and dom0 processes): domain
 * creation latency at a given number of running domains, the cost of a null hypercall, event channel listing
 * and watching, and the scheduler's weight shares and wake latency.
 */
package org.hvsim.tools.hvsim.bench;
