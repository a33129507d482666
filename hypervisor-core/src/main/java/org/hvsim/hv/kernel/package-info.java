/** Loading guest kernels from kernel jars, behind a class loader that exposes only the guest ABI. */
package org.hvsim.hv.kernel;
