/** The apps a guest runs ({@code app=} on the command line): idle, hello, cpuburn, crash, echo, flood, hcbench, evtchnbench, iolat, xenstore. */
package org.hvsim.domu.app;
