/** Argument structures of {@code sched_op} ({@code public/sched.h}). */
package org.hvsim.hv.abi.sched;
