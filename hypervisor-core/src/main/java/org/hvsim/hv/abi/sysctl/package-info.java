/** Argument structures of {@code sysctl} ({@code public/sysctl.h}): host-wide control, privileged only. */
package org.hvsim.hv.abi.sysctl;
