/**
 * The XenStore database: paths and their validation, permissions, immutable nodes in a persistent map
 * (so a transaction's snapshot is one reference), and the committed store with its generation counter.
 */
package org.hvsim.dom0.xenstore.store;
