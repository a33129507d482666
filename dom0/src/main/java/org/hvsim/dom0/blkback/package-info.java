/**
 * The storage side of dom0's virtio-blk backend: what a disk's {@code target} names ({@link
 * org.hvsim.dom0.blkback.ImageTarget}: a raw image file, or {@code null:<size>}, a device that stores
 * nothing, for measuring the I/O path itself) and the images themselves, which move data straight
 * between the file and the guest's mapped pages (a {@link java.lang.foreign.MemorySegment} of machine
 * memory handed to {@link java.nio.channels.FileChannel}), with FLUSH as a real {@code force}.
 */
package org.hvsim.dom0.blkback;
