/**
 * The XenStore wire ABI ({@code public/io/xs_wire.h}): message types, error names, the 16-byte message
 * header and the layout of a domain's xenstore ring page. Numbers and layouts only; xenstored (dom0) and
 * the guest's xenbus client (domu-kernel) both build on it.
 */
package org.hvsim.hv.abi.xenstore;
