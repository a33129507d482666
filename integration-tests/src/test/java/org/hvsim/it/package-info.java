/** Integration tests: real hosts (hypervisor and dom0 processes) driven through tools/bin and gRPC. */
package org.hvsim.it;
