/** The hypervisor's console: the console ring {@code xl dmesg} reads, and guests' console_io output. */
package org.hvsim.hv.console;
