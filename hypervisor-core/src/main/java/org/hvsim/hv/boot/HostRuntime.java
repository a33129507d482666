package org.hvsim.hv.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hvsim.hv.Hypervisor;
import org.hvsim.hv.domain.Domain;
import org.hvsim.hv.domain.DomainTable;
import org.hvsim.hv.memory.MachineMemory;
import org.hvsim.hv.privcmd.Dom0HypercallHandler;
import org.hvsim.hv.privcmd.Dom0SessionListener;
import org.hvsim.hv.privcmd.PrivcmdServer;
import org.hvsim.hv.privcmd.PrivcmdServerConfig;
import org.hvsim.hv.privcmd.PrivcmdToken;
import org.hvsim.proto.privcmd.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running host: the hypervisor, dom0's domain and process, and the privcmd server between them.
 * {@link #start} builds dom0 and launches its process; {@link #close} takes everything down in order
 * (dom0's process first, then the guests, then machine memory). Threads: boot thread and shutdown hook.
 */
final class HostRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostRuntime.class);

    private final HostConfig config;
    private final MachineMemory machine;
    private final Hypervisor hv;
    private final PrivcmdToken token = PrivcmdToken.generate();
    private Dom0Builder.Dom0 dom0;
    private PrivcmdServer privcmd;
    private Dom0Launcher launcher;
    private volatile boolean closed;

    HostRuntime(HostConfig config, MachineMemory machine, Hypervisor hv) {
        this.config = config;
        this.machine = machine;
        this.hv = hv;
    }

    void start() throws IOException, DomainTable.DomainCreateException {
        hv.start();
        dom0 = Dom0Builder.build(hv, config.dom0MemoryBytes(), config.dom0Vcpus(), config.commandLine());
        Domain d = dom0.domain();
        Dom0HypercallHandler handler = new Dom0Hypercalls(hv, d);
        privcmd = PrivcmdServer.start(PrivcmdServerConfig.of(config.privcmdSocket(), token, this::welcome), handler,
                Dom0HostInspection.of(hv), new Dom0SessionListener() {
                    @Override
                    public void connected(long pid) {
                        hv.console().printk("dom0: process " + pid + " connected to the privcmd channel");
                    }

                    @Override
                    public void disconnected(long pid) {
                        hv.console().printk("dom0: process " + pid + " disconnected");
                    }
                });
        d.setKicker(privcmd::sendUpcall);
        launcher = new Dom0Launcher(config, token, hv.console());
        for (int v = 0; v < d.maxVcpus(); v++) {
            d.vcpu(v).setExternalCpuTime(() -> dom0CpuTime() / d.maxVcpus());
        }
        link(config.memoryLink(), machine.path());
        Files.writeString(config.pidFile(), ProcessHandle.current().pid() + "\n");
        launcher.start();
    }

    private Welcome welcome() {
        return dom0.welcome(machine, launcher.generation());
    }

    /** CPU time of every dom0 process so far (the running one included). */
    private long dom0CpuTime() {
        return launcher == null ? 0 : launcher.cpuTimeNs();
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        hv.console().printk("hvsim: shutting down");
        try {
            if (launcher != null) {
                launcher.close();
            }
            if (privcmd != null) {
                privcmd.close();
            }
            hv.evtchn().trace().stop();
            hv.close();
        } catch (RuntimeException e) {
            LOG.error("error while shutting down", e);
        } finally {
            try {
                machine.close();
                Files.deleteIfExists(config.memoryLink());
                Files.deleteIfExists(config.pidFile());
            } catch (IOException e) {
                LOG.warn("cannot remove machine memory or state files: {}", e.getMessage());
            }
        }
    }
}
