package org.hvsim.virtio.dma;

/**
 * The backend's view of a frontend's granted pages (dom0's grant-mapping cache implements it): the bytes
 * {@code [offset, offset+length)} counted from the start of the page granted with {@code firstRef}, spanning
 * the pages of the consecutive refs after it, as one region.
 */
@FunctionalInterface
public interface GrantMappings {

    /**
     * @throws DmaFault if a ref is not granted to this backend, is read-only and {@code write} is asked, or
     *                  cannot be mapped
     */
    GuestRegion map(int firstRef, int offset, long length, boolean write) throws DmaFault;
}
