package org.hvsim.domu.virtioblk;

/**
 * A chain a workload lays out by hand in a request slot, not as a {@link org.hvsim.domu.blk.BlockRequest} would
 * make it ({@link VirtioBlkQueue#submitRaw}): how {@link HostileFront} gives a backend bad input.
 */
interface RawChain {
    /** Adds the chain with {@link VirtioBlkQueue.RawRing#add} (and may overwrite it); its head, or -1. */
    int add(VirtioBlkQueue.RawRing ring);
}
