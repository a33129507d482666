/** Booting the machine: the host configuration, domain 0's construction, and the hypervisor's main. */
package org.hvsim.hv.boot;
