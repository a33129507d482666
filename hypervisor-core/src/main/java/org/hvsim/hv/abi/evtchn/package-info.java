/**
 * Event channel ABI ({@code public/event_channel.h}): the byte-exact argument structures of
 * {@code event_channel_op}, and the guest side of the 2-level ABI ({@link TwoLevelEventScan}).
 */
package org.hvsim.hv.abi.evtchn;
