/** xenconsoled: each domain's PV console ring to a log file and to live {@code xl console} streams. */
package org.hvsim.dom0.console;
