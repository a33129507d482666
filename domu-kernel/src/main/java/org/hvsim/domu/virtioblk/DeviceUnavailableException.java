package org.hvsim.domu.virtioblk;

/** A disk a workload asked for did not come up: none of that name, its backend refused it, or no answer in time. */
public final class DeviceUnavailableException extends Exception {
    public DeviceUnavailableException(String message) {
        super(message);
    }
}
