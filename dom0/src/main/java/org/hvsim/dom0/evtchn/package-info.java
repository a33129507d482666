/**
 * Event channels made observable for the control plane: protobuf views of the hypervisor's port
 * snapshots, and the watch hub that fans the hypervisor's event channel trace out to many watchers,
 * each with its own filter and bounded queue, so that a slow watcher loses its own events only.
 */
package org.hvsim.dom0.evtchn;
