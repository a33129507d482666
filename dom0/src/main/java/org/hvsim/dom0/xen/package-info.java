/**
 * dom0's access to the machine, like Xen's tools libraries: hypercalls over the privcmd channel with
 * arguments in dom0's own memory (libxencall), domain and host control (libxenctrl), mapping other
 * domains' frames (libxenforeignmemory) and event channels (libxenevtchn).
 */
package org.hvsim.dom0.xen;
