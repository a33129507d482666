/**
 * Recording event channel activity for watchers (what xentrace's event channel records are in Xen):
 * senders and binders write fixed-size records into striped buffers without waiting, a collector
 * thread hands batches to whoever watches (dom0, over the privcmd channel), and a full buffer or a
 * slow watcher loses records, counted, never time of the senders.
 */
package org.hvsim.hv.evtchn.trace;
