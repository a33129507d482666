/**
 * xenstored, dom0's XenStore daemon: the facade the toolstack starts ({@link org.hvsim.dom0.xenstore.Xenstored}),
 * its in-process privileged client, and the hooks the integrator supplies (ring mapping for INTRODUCE).
 */
package org.hvsim.dom0.xenstore;
