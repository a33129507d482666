/**
 * How a device reaches the buffers a descriptor names: a {@link org.hvsim.virtio.dma.DmaTranslator} turns a
 * descriptor's (addr, len) into a {@link org.hvsim.virtio.dma.GuestRegion} of some {@code GuestMemory}, or
 * refuses. On Xen the addresses are grant-based ({@link org.hvsim.virtio.dma.GrantDmaAddress}) and
 * {@link org.hvsim.virtio.dma.GrantDmaTranslator} resolves them through
 * {@link org.hvsim.virtio.dma.GrantMappings}, which the backend's grant-mapping cache implements elsewhere.
 */
package org.hvsim.virtio.dma;
