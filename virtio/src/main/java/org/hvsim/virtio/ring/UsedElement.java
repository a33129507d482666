package org.hvsim.virtio.ring;

/** One {@code struct virtq_used_elem}: the head of a used chain and the bytes the device wrote into it. */
public record UsedElement(int id, long len) {
}
