/** Event channels, guest side: the upcall handler, the port-to-handler table and the binding helpers. */
package org.hvsim.domu.event;
