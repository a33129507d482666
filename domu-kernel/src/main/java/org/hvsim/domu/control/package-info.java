/**
 * What the toolstack asks of the domain through {@code ~/control} (Linux's {@code drivers/xen/manage.c}): the
 * shutdown watcher and the {@code feature-*} nodes that say which requests the kernel handles.
 */
package org.hvsim.domu.control;
