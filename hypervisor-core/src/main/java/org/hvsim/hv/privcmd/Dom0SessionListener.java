package org.hvsim.hv.privcmd;

/**
 * Tells the hypervisor when a dom0 process comes and goes on the privcmd channel. Called on the
 * server's event loop: implementations must return quickly and never block.
 */
public interface Dom0SessionListener {
    /** Ignores both events. */
    Dom0SessionListener NONE = new Dom0SessionListener() {
        @Override
        public void connected(long dom0Pid) {}

        @Override
        public void disconnected(long dom0Pid) {}
    };

    /**
     * dom0 presented the right token and was sent its Welcome; its hypercalls follow.
     *
     * @param dom0Pid the process id dom0 gave in its Hello
     */
    void connected(long dom0Pid);

    /**
     * The dom0 session's connection is closed. Hypercalls it made that were still running finish,
     * but their results are dropped; a new dom0 may now connect.
     */
    void disconnected(long dom0Pid);
}
