/**
 * Event channels as text, for {@code lsevtchn} and {@code xl evtchn-watch}: Xen's lsevtchn line and what
 * hvsim adds to it, watch lines and rate tables. Pure functions of the EventChannelService messages.
 */
package org.hvsim.tools.evtchn;
