package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hvsim.proto.control.EventChannelActivityKind;
import org.hvsim.proto.control.EventChannelEvent;
import org.hvsim.proto.control.WatchEventChannelsResponse;
import org.hvsim.tools.client.NettyDefaults;
import org.hvsim.tools.evtchn.FakeEventChannelService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/bin/xl evtchn-watch as a process, against a fake dom0 on a real control socket, ended by a signal:
 * the call is cancelled, the lines printed so far stay, and nothing else is written. The signal is SIGINT
 * (Ctrl-C), unless this JVM was started with SIGINT ignored (in the background of a shell without job
 * control), which xl would inherit: then SIGTERM, which the JVM handles the same way (shutdown hooks, then
 * 128 + the signal's number).
 */
class EvtchnWatchSignalTest {
    private static final Path XL = Path.of("bin", "xl").toAbsolutePath();

    @TempDir
    Path tmp;

    private final FakeEventChannelService evtchn = new FakeEventChannelService();
    private EventLoopGroup group;
    private Server server;
    private Process xl;

    @BeforeEach
    void serve() throws Exception {
        Path home = Files.createDirectory(tmp.resolve("home"));
        NettyDefaults.forCommandLine();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(home.resolve("control.sock").toString()))
                .bossEventLoopGroup(group).workerEventLoopGroup(group)
                .channelType(EpollServerDomainSocketChannel.class).directExecutor()
                .addService(evtchn).build().start();
    }

    @AfterEach
    void stop() throws Exception {
        if (xl != null) {
            xl.destroyForcibly();
        }
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Test
    void aSignalCancelsTheWatchWithoutAStackTrace() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(XL.toString(), "evtchn-watch")
                .redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        pb.environment().put("HVSIM_CLASSPATH",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        pb.environment().put("HVSIM_HOME", tmp.resolve("home").toString());
        pb.environment().put("TZ", "UTC");
        pb.environment().remove("JAVA_HOME");
        xl = pb.start();

        Await.until("xl's watch to reach dom0", () -> evtchn.watch != null);
        evtchn.watch.onNext(WatchEventChannelsResponse.newBuilder().addEvents(EventChannelEvent.newBuilder()
                .setTimestampUnixNanos(1_000L).setKind(EventChannelActivityKind.EVENT_CHANNEL_ACTIVITY_KIND_DELIVER)
                .setDomid(1).setPort(2).setLabel("console")).build());
        Path out = tmp.resolve("out");
        Await.until("the event to be printed", () -> read(out).contains("console"));
        int signal = sigintIgnored() ? SIGTERM : SIGINT;
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(xl.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());

        assertTrue(xl.waitFor(30, TimeUnit.SECONDS), "xl did not exit");
        assertEquals(128 + signal, xl.exitValue());
        assertEquals("00:00:00.000001 deliver d1:2      vcpu 0  console\n", read(out));
        assertEquals("", read(tmp.resolve("err")));
        Await.until("dom0 to see the call cancelled", () -> evtchn.watchCancelled);
    }

    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    /** True if this process ignores SIGINT (so a child it starts would too): its bit in /proc's SigIgn mask. */
    private static boolean sigintIgnored() {
        for (String line : read(Path.of("/proc/self/status")).split("\n")) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16)
                        & (1L << (SIGINT - 1))) != 0;
            }
        }
        return true;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
