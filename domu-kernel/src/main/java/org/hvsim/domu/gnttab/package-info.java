/**
 * The guest's grant table driver (Linux's {@code drivers/xen/grant-table.c}, Mini-OS's
 * {@code gnttab.c}): grant another domain access to a frame, end the access.
 */
package org.hvsim.domu.gnttab;
