/**
 * The guest's xenbus client (Linux's {@code xenbus_comms.c}/{@code xenbus_xs.c}, Mini-OS's {@code xenbus.c}):
 * XenStore requests over the {@code xenstore_domain_interface} ring page and its event channel, replies
 * matched by {@code req_id}, and watch callbacks run by the xenwatch worker in task context.
 */
package org.hvsim.domu.xenbus;
