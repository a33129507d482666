/** The simulated machine: {@link org.hvsim.hv.Hypervisor} ties its subsystems together. */
package org.hvsim.hv;
