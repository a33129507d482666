/** The xenbus device states ({@code public/io/xenbus.h}) through which frontends and backends connect. */
package org.hvsim.hv.abi.xenbus;
