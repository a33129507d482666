/**
 * Argument layouts of the memory hypercalls ({@code memory_op}, {@code mmu_update}) and the x86-64 PTE
 * bits they use, as in Xen's {@code public/memory.h} and {@code public/xen.h}: numbers and layouts only.
 */
package org.hvsim.hv.abi.memory;
