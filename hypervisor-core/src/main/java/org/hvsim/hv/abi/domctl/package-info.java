/**
 * Argument structures of {@code domctl} ({@code public/domctl.h}), the toolstack's domain control
 * interface. Only a privileged domain may use it. hvsim lays them out as Xen's current headers do
 * (interface version {@link org.hvsim.hv.abi.Domctl#INTERFACE_VERSION}).
 */
package org.hvsim.hv.abi.domctl;
