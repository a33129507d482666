/** The boot protocol: start_info, validated once into a {@link org.hvsim.domu.boot.BootInfo}, and the boot banner. */
package org.hvsim.domu.boot;
