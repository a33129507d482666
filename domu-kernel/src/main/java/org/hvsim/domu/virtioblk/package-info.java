/**
 * The virtio-blk frontend over a xenbus transport: probes {@code device/vbd/*}, follows the handshake with dom0's
 * backend (virtio features and config in XenStore, grant-DMA ring and data pages, one event channel) and drives
 * the virtqueue as a {@link org.hvsim.domu.blk.BlockDevice}.
 */
package org.hvsim.domu.virtioblk;
