/**
 * The hypervisor's end of the privcmd channel: a netty server on a Unix domain socket through which
 * the dom0 process makes its hypercalls and receives its event upcalls. Netty and ByteBuf stay here.
 */
package org.hvsim.hv.privcmd;
