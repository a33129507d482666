package org.hvsim.hv.abi.memory;

/** {@code XENMEMF_*}: the {@code mem_flags} of {@code struct xen_memory_reservation} ({@code public/memory.h}). */
public final class XenMemFlags {
    /** Low 8 bits: the maximum address width the caller can use; 0 means no restriction. */
    public static final int ADDRESS_BITS_MASK = 0xff;
    /** {@code XENMEMF_populate_on_demand}. */
    public static final int POPULATE_ON_DEMAND = 1 << 16;
    /** {@code XENMEMF_exact_node_request}. */
    public static final int EXACT_NODE_REQUEST = 1 << 17;
    /** {@code XENMEMF_vnode}. */
    public static final int VNODE = 1 << 18;

    private XenMemFlags() {}

    /** {@code XENMEMF_address_bits(bits)}. */
    public static int addressBits(int bits) {
        return bits & ADDRESS_BITS_MASK;
    }

    /** {@code XENMEMF_get_address_bits(flags)}. */
    public static int getAddressBits(int flags) {
        return flags & ADDRESS_BITS_MASK;
    }

    /** {@code XENMEMF_node(node)}: NUMA node to allocate from. */
    public static int node(int node) {
        return (node + 1) << 8;
    }

    /** {@code XENMEMF_get_node(flags)}. */
    public static int getNode(int flags) {
        return ((flags >>> 8) - 1) & 0xff;
    }
}
