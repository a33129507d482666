package org.hvsim.virtio.ring;

import org.hvsim.virtio.dma.RegionList;

/**
 * A validated descriptor chain the device popped: its head (the id to return in the used ring), the
 * device-readable buffers and then the device-writable ones, translated, and how many descriptors it had
 * (indirect entries included, table pointers not).
 */
public record DescriptorChain(int head, RegionList readable, RegionList writable, int descriptorCount) {
}
