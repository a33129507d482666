/** Test fixtures shared through hypervisor-core's test-jar: an in-process host and test kernels. */
package org.hvsim.hv.testing;
