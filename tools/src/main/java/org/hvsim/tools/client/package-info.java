/** The control-plane client shared by xl and hvsim: where a host lives ({@code HVSIM_HOME}) and a gRPC channel to its dom0. */
package org.hvsim.tools.client;
