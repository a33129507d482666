/** The apps a guest runs ({@code app=} on the command line): idle, hello, cpuburn, crash, echo, flood. */
package org.hvsim.domu.app;
