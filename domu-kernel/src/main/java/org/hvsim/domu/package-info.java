/**
 * hvsim's guest kernel (Mini-OS-like): {@link org.hvsim.domu.MiniOs}, the {@link org.hvsim.hv.abi.GuestKernel}
 * the hypervisor loads from this jar. It sees only the guest ABI, the virtio library and the Java platform.
 */
package org.hvsim.domu;
