/**
 * dom0's end of the privcmd channel: how the dom0 process makes its hypercalls to the hypervisor
 * process and receives its event upcalls, over a Unix domain socket. Netty and ByteBuf stay here.
 */
package org.hvsim.dom0.privcmd;
