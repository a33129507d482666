/**
 * What the toolstack asks of the domain through XenStore: through {@code ~/control} (Linux's
 * {@code drivers/xen/manage.c}) the shutdown watcher and the {@code feature-*} nodes that say which requests the
 * kernel handles; through {@code ~/cpu} (Linux's {@code drivers/xen/cpu_hotplug.c}) the vCPU hotplug watcher.
 */
package org.hvsim.domu.control;
