/**
 * The VIRTIO 1.2 split virtqueue, byte-exact over {@code GuestMemory}: its layout
 * ({@link org.hvsim.virtio.ring.VirtqueueLayout}), the device side ({@link org.hvsim.virtio.ring.DeviceQueue},
 * which validates every chain through {@link org.hvsim.virtio.ring.DescriptorChainIterator}) and the driver side
 * ({@link org.hvsim.virtio.ring.DriverQueue}), with notification suppression by flags or by event index.
 */
package org.hvsim.virtio.ring;
