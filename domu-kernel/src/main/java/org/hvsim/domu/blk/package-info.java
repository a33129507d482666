/**
 * The guest kernel's block layer, as workloads see it: a {@link org.hvsim.domu.blk.BlockDevice} takes
 * asynchronous {@link org.hvsim.domu.blk.BlockRequest}s on buffers of guest pages and completes them
 * later (the virtio-blk frontend is one; tests use a device in memory).
 */
package org.hvsim.domu.blk;
