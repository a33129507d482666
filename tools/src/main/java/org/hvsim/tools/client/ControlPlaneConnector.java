package org.hvsim.tools.client;

/** Opens a connection to a host's control plane (a Unix socket in production, in-process in tests). */
@FunctionalInterface
public interface ControlPlaneConnector {
    ControlPlane connect() throws HostNotRunningException;
}
