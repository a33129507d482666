/**
 * The control plane: gRPC services over a Unix socket (mode 0600) that translate requests into
 * toolstack calls and toolstack refusals into gRPC status codes; health and reflection.
 */
package org.hvsim.dom0.grpc;
