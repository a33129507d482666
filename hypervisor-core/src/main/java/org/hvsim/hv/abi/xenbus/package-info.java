/**
 * The xenbus device states ({@code public/io/xenbus.h}) through which frontends and backends connect, and the
 * rules by which each end moves through them ({@link org.hvsim.hv.abi.xenbus.XenbusStateMachine}).
 */
package org.hvsim.hv.abi.xenbus;
