/** Argument structures of {@code vcpu_op} ({@code public/vcpu.h}) and hvsim's vCPU context. */
package org.hvsim.hv.abi.vcpu;
