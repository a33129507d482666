/** The guest command line: {@code app=<name> [key=value ...]}, parsed and validated once at boot. */
package org.hvsim.domu.cmdline;
