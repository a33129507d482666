/**
 * dom0's virtio-blk backend over the xenbus transport. The driver ({@link
 * org.hvsim.dom0.blkback.BlkbackDriver}) watches {@code backend/vbd} and runs each disk's handshake ({@link
 * org.hvsim.dom0.blkback.VbdBackend}: publish the offer, InitWait, map the frontend's ring grants, bind its
 * event channel, Connected; Closing to Closed with everything unmapped, unbound and closed). Each connected
 * disk is a {@link org.hvsim.dom0.blkback.VirtioBlkDevice}: a device thread over the split virtqueue
 * (grant-DMA addresses resolved through {@link org.hvsim.dom0.blkback.DeviceGrants}, mapped once and kept)
 * and a few workers that carry requests out against the storage.
 *
 * <p>The storage side: what a disk's {@code target} names ({@link org.hvsim.dom0.blkback.ImageTarget}: a
 * raw image file, or {@code null:<size>}, a device that stores nothing, for measuring the I/O path itself)
 * and the images themselves, which move data straight between the file and the guest's mapped pages (a
 * {@link java.lang.foreign.MemorySegment} of machine memory handed to {@link java.nio.channels.FileChannel}),
 * with FLUSH as a real {@code force}.
 */
package org.hvsim.dom0.blkback;
