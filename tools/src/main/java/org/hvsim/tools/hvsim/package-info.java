/** hvsim, the host's command line: start the hypervisor process in the background, stop it, report its status. */
package org.hvsim.tools.hvsim;
