package org.hvsim.dom0;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.hvsim.dom0.blkback.BlkbackDriver;
import org.hvsim.dom0.console.Xenconsoled;
import org.hvsim.dom0.grpc.ControlServer;
import org.hvsim.dom0.privcmd.PrivcmdClient;
import org.hvsim.dom0.toolstack.KernelResolver;
import org.hvsim.dom0.toolstack.StoreRings;
import org.hvsim.dom0.toolstack.Toolstack;
import org.hvsim.dom0.xen.XenError;
import org.hvsim.dom0.xenstore.Xenstored;
import org.hvsim.dom0.xenstore.XenstoredSocket;
import org.hvsim.dom0.xen.Dom0Platform;
import org.hvsim.dom0.xen.PrivcmdEvtchnIntrospection;
import org.hvsim.dom0.xen.PrivcmdXenCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dom0 process, started by the hypervisor: connects over the privcmd channel, maps machine
 * memory, starts xenconsoled, xenstored (its socket in {@code <home>/xenstored}), the toolstack (recovering its state if it is not the first dom0 of
 * this host) and the virtio-blk backend driver, then serves the control plane until the hypervisor goes away or it is told to stop.
 */
@Command(name = "hvsim-dom0", mixinStandardHelpOptions = true, description = "hvsim's domain 0 (started by the hypervisor).")
public final class Dom0Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Dom0Main.class);

    @Option(names = "--home", required = true, description = "The host's state directory.")
    Path home;

    @Option(names = "--kernels", required = true, description = "Directory of the built-in kernel jars.")
    Path kernels;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Dom0Main()).execute(args));
    }

    private static boolean domainExists(Dom0Platform platform, int domid) {
        try {
            platform.xc().getDomainInfo(domid);
            return true;
        } catch (XenError e) {
            return false;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrivcmdClient client = PrivcmdClient.connectFromEnvironment(System.getenv());
        int generation = client.welcome().getDom0Generation();
        Dom0Platform platform = Dom0Platform.open(client.welcome(), new PrivcmdXenCall(client),
                new PrivcmdEvtchnIntrospection(client), client::queryRunstate);
        client.onUpcall(vcpu -> platform.events().upcall(vcpu));
        Xenconsoled consoles = new Xenconsoled(platform, home.resolve("log").resolve("console"));
        StoreRings rings = new StoreRings(platform);
        Xenstored xenstored = Xenstored.builder().introducer(rings)
                .domainExists(domid -> domainExists(platform, domid)).build();
        xenstored.start(XenstoredSocket.create(home));
        Toolstack toolstack = new Toolstack(platform, home, new KernelResolver(kernels), consoles, xenstored, rings);
        toolstack.start(generation > 1);
        BlkbackDriver blkback = BlkbackDriver.start(platform, xenstored);
        platform.events().scanAll();
        long bootTime = ProcessHandle.current().parent().flatMap(p -> p.info().startInstant())
                .map(i -> i.getEpochSecond()).orElse(System.currentTimeMillis() / 1000);
        ControlServer control = ControlServer.start(home.resolve("control.sock"), toolstack, consoles, bootTime,
                client::traceSched);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("dom0-shutdown").unstarted(() -> {
            control.close();
            toolstack.close();
            blkback.close();
            xenstored.close();
            consoles.close();
            client.close();
            platform.close();
            stop.countDown();
        }));
        control.serving();
        LOG.info("dom0 (generation {}) serving the control plane on {}", generation, control.socket());
        Files.createDirectories(home.resolve("log"));
        while (client.isOpen()) {
            if (stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                return 0;
            }
        }
        LOG.error("the privcmd channel closed: the hypervisor is gone; dom0 exits");
        return 1;
    }
}
