/** Concurrency primitives safe to use from vCPU threads and the pCPU threads that carry them. */
package org.hvsim.hv.concurrent;
