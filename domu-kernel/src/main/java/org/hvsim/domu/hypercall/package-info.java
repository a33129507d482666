/** The hypercall layer: typed wrappers whose argument structures live in per-vCPU kernel scratch memory. */
package org.hvsim.domu.hypercall;
