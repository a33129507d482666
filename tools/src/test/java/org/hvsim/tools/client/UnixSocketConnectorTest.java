package org.hvsim.tools.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.hvsim.proto.control.ListDomainsRequest;
import org.hvsim.tools.xl.XlCommandLine;
import org.hvsim.tools.xl.XlEnvironment;
import org.hvsim.tools.xl.console.SttyTerminal;
import org.hvsim.tools.xl.training.CannedHostServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real transport: gRPC over netty's epoll Unix domain sockets, as xl talks to dom0. */
class UnixSocketConnectorTest {
    @TempDir
    Path dir;

    @Test
    void callsReachAServerOnTheSocket() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (CannedHostServer server = CannedHostServer.start(socket);
                ControlPlane control = new UnixSocketConnector(socket).connect()) {
            assertEquals(socket.toString(), control.target());
            assertEquals("Domain-0", control.domains().listDomains(ListDomainsRequest.getDefaultInstance())
                    .getDomains(0).getName());
            StatusRuntimeException notFound = assertThrows(StatusRuntimeException.class, () -> control.domains()
                    .listDomains(ListDomainsRequest.newBuilder().setDomain("nope").build()));
            assertEquals(Status.Code.NOT_FOUND, notFound.getStatus().getCode());
        }
    }

    @Test
    void xlListOverTheSocket() throws Exception {
        Path socket = dir.resolve("control.sock");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (CannedHostServer server = CannedHostServer.start(socket);
                XlEnvironment env = new XlEnvironment(new PrintWriter(out), new PrintWriter(err),
                        OutputStream.nullOutputStream(), InputStream.nullInputStream(),
                        new UnixSocketConnector(socket), Clock.systemUTC(), new SttyTerminal())) {
            exit = XlCommandLine.run(env, "list", "guest-1");
        }
        assertEquals(0, exit, err.toString());
        assertEquals("Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
                + "guest-1                                      1   256     2     --p---      24.7\n", out.toString());
    }

    @Test
    void aMissingSocketIsReportedWithoutConnecting() {
        HostNotRunningException e = assertThrows(HostNotRunningException.class,
                () -> new UnixSocketConnector(dir.resolve("none.sock")).connect());
        assertEquals("no hvsim host is running: " + dir.resolve("none.sock") + " does not exist; "
                + "start one with tools/bin/hvsim start", e.getMessage());
    }

    @Test
    void aSocketNobodyListensOnIsAnUnreachableHost() throws Exception {
        Path stale = Files.createFile(dir.resolve("control.sock"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (XlEnvironment env = new XlEnvironment(new PrintWriter(out), new PrintWriter(err),
                OutputStream.nullOutputStream(), InputStream.nullInputStream(),
                new UnixSocketConnector(stale), Clock.systemUTC(), new SttyTerminal())) {
            exit = XlCommandLine.run(env, "info");
        }
        assertEquals(1, exit);
        assertTrue(err.toString().startsWith("xl: no hvsim host answers on " + stale + " ("), err.toString());
        assertTrue(err.toString().endsWith("); start one with tools/bin/hvsim start\n"), err.toString());
    }

    @Test
    void theHomeAndItsFiles() {
        HvsimHome home = HvsimHome.fromEnvironment(Map.of(), "/home/u");
        assertEquals(Path.of("/home/u/.hvsim/control.sock"), home.controlSocket());
        assertEquals(Path.of("/home/u/.hvsim/hypervisor.pid"), home.pidFile());
        assertEquals(Path.of("/home/u/.hvsim/log/hypervisor.out"), home.hypervisorLog());
        assertEquals(Path.of("/srv/h"), HvsimHome.fromEnvironment(Map.of("HVSIM_HOME", "/srv/h"), "/u").dir());
        assertEquals(Path.of("/u/.hvsim"), HvsimHome.fromEnvironment(Map.of("HVSIM_HOME", ""), "/u").dir());
    }
}
