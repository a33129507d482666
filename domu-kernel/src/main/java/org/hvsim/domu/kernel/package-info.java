/** The kernel proper: boot on vCPU 0, bring-up of secondary vCPUs, and the services apps use. */
package org.hvsim.domu.kernel;
