/**
 * xenstored's single-threaded logic: the request table, node operations with permissions and quotas,
 * transactions, watches, domains and their accounting. Everything here runs on the dispatch thread.
 */
package org.hvsim.dom0.xenstore.core;
