/**
 * Machine memory and its bookkeeping: the shared memory file, the buddy frame allocator, M2P and
 * per-domain P2M, reservations ({@code memory_op}), PV foreign mappings ({@code mmu_update}), the
 * P2M-backed {@link org.hvsim.hv.abi.GuestMemory} and an invariant checker.
 */
package org.hvsim.hv.memory;
