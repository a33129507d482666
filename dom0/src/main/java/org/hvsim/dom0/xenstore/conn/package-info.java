/**
 * xenstored's transports: a domain's {@code xenstore_domain_interface} ring page and the Unix socket
 * dom0 tools connect to. Both feed whole messages to the dispatch thread and bound what they queue.
 */
package org.hvsim.dom0.xenstore.conn;
