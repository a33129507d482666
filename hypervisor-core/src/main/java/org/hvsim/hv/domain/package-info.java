/** Domains and vCPUs: their state, lifecycle (create, pause, shut down, destroy), and the vCPU threads. */
package org.hvsim.hv.domain;
