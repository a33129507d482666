/** The hypercall dispatcher (Xen's hypercall table) and one handler per hypercall. */
package org.hvsim.hv.hypercall;
