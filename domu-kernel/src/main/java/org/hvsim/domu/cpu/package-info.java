/** Per-CPU kernel data: each vCPU's hypercall layer, event view, system time and interrupt level. */
package org.hvsim.domu.cpu;
