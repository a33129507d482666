/** Memory management: the allocator of the guest frames the kernel owns after boot. */
package org.hvsim.domu.mm;
