/**
 * The guest ABI: hypercall and operation numbers, Xen errno values, domain-id specials, the layouts
 * of the structures guests and the hypervisor share, {@link org.hvsim.hv.abi.GuestMemory}, and the
 * guest-kernel service interface. Like Xen's {@code xen/include/public}, it holds numbers, layouts and
 * status codes, not behaviour. It is the only part of hypervisor-core that guest kernels and dom0 see.
 */
package org.hvsim.hv.abi;
