/**
 * Event channels, 2-level ABI ({@code xen/common/event_channel.c}, {@code event_2l.c}): per-domain
 * port tables, binding and closing, sending, VIRQ routing and the {@code event_channel_op} hypercall.
 */
package org.hvsim.hv.evtchn;
