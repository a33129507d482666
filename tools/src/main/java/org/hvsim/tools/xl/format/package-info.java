/** xl's output formats, byte for byte as Xen's xl prints them (xl_info.c, xl_vcpu.c, xl_utils.c). Pure functions. */
package org.hvsim.tools.xl.format;
