package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hvsim.proto.control.CreateDomainRequest;
import org.hvsim.proto.control.DomainRef;
import org.hvsim.tools.client.ControlPlaneConnector;
import org.hvsim.tools.xlcfg.DomainConfigJson;
import org.hvsim.tools.xlcfg.XlConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateCommandTest {
    private static final String CONFIG = """
            name = "web"
            memory = 128
            vcpus = 2
            kernel = "idle"
            """;

    @TempDir
    Path dir;

    private XlHarness xl;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        config = Files.writeString(dir.resolve("web.cfg"), CONFIG);
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    /** A host that must not be contacted. */
    private static final ControlPlaneConnector NO_HOST = () -> {
        throw new AssertionError("a dry run contacted the host");
    };

    @Test
    void dryRunPrintsTheConfigurationAsJsonWithoutAHost() throws Exception {
        XlHarness.Result r = xl.run(NO_HOST, new ByteArrayInputStream(new byte[0]), "create", "-n", config.toString(),
                "memory=256");

        assertEquals(0, r.exit(), r.err());
        String expected = DomainConfigJson.config(XlConfigLoader.load(config, List.of("memory=256")).config());
        assertEquals(expected, r.out());
        assertTrue(r.out().contains("\"target_memkb\": 262144"), r.out());
        assertTrue(r.out().startsWith("{\n    \"c_info\": {"), "libxl_domain_config_to_json, no domid wrapper: " + r.out());
        assertTrue(r.out().endsWith("}\n"), r.out());
        assertEquals("Parsing config from " + config + "\n", r.err());
    }

    @Test
    void theGlobalDryRunOptionDoesTheSame() throws Exception {
        XlHarness.Result r = xl.run(NO_HOST, new ByteArrayInputStream(new byte[0]), "-N", "create", "-q",
                config.toString());

        assertEquals(0, r.exit(), r.err());
        assertEquals(DomainConfigJson.config(XlConfigLoader.load(config, List.of()).config()), r.out());
        assertEquals("", r.err());
    }

    @Test
    void createSendsTheParsedConfigurationAndStaysQuiet() throws Exception {
        XlHarness.Result r = xl.run("create", config.toString(), "vcpus=1");

        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals("Parsing config from " + config + "\n", r.err());
        CreateDomainRequest sent = (CreateDomainRequest) xl.host.requests.get(0);
        assertEquals(XlConfigLoader.load(config, List.of("vcpus=1")).config(), sent.getConfig());
        assertEquals(1, sent.getConfig().getVcpus());
        assertFalse(sent.getPaused());
    }

    @Test
    void pausedAsksForAPausedDomain() {
        XlHarness.Result r = xl.run("create", "-p", config.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(((CreateDomainRequest) xl.host.requests.get(0)).getPaused());
    }

    @Test
    void aConfigurationDom0RefusesPrintsItsMessageAndExits1() {
        xl.host.createFailure = Status.INVALID_ARGUMENT.withDescription(config + ":3:9: vcpus exceeds the host's 2 pCPUs");

        XlHarness.Result r = xl.run("create", "-q", config.toString());

        assertEquals(1, r.exit());
        assertEquals(config + ":3:9: vcpus exceeds the host's 2 pCPUs\n", r.err());
    }

    @Test
    void otherCreationFailuresExitWithLibxlsErrorFail() {
        xl.host.createFailure = Status.ALREADY_EXISTS.withDescription("Domain with name 'web' already exists.");

        XlHarness.Result r = xl.run("create", "-q", config.toString());

        assertEquals(3, r.exit());
        assertEquals("Domain with name 'web' already exists.\n", r.err());
    }

    @Test
    void aBadConfigurationIsTheParsersMessageAndExit1() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.cfg"), "memory = 128\n");

        XlHarness.Result r = xl.run(NO_HOST, new ByteArrayInputStream(new byte[0]), "create", bad.toString());

        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("Parsing config from " + bad + "\n" + bad + ": "), r.err());
        assertTrue(r.err().contains("Domain name must be specified."), r.err());
    }

    @Test
    void aMissingFileIsXlsReadFailure() {
        Path missing = dir.resolve("missing.cfg");

        XlHarness.Result r = xl.run(NO_HOST, new ByteArrayInputStream(new byte[0]), "create", missing.toString());

        assertEquals(3, r.exit());
        assertEquals("Parsing config from " + missing + "\nFailed to read config file: " + missing
                + ": No such file or directory\n", r.err());
    }

    @Test
    void noFileAtAll() {
        XlHarness.Result r = xl.run(NO_HOST, new ByteArrayInputStream(new byte[0]), "create", "memory=1");

        assertEquals(6, r.exit());
        assertEquals("Config file not specified and none in save file\n", r.err());
    }

    @Test
    void eachWarningIsPrintedOnce() throws Exception {
        Path withWarnings = Files.writeString(dir.resolve("warn.cfg"), CONFIG + "vnc = 1\n");
        List<String> warnings = XlConfigLoader.load(withWarnings, List.of()).warnings();

        XlHarness.Result r = xl.run("create", withWarnings.toString());

        assertEquals(0, r.exit(), r.err());
        assertEquals(1, warnings.size(), warnings::toString);
        assertEquals("Parsing config from " + withWarnings + "\n" + warnings.get(0) + "\n", r.err());
    }

    @Test
    void consoleCreatesPausedAttachesThenUnpauses() throws Exception {
        XlHarness.Result r = xl.run(new ByteArrayInputStream(new byte[] {0x1d}), "create", "-q", "-c",
                config.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(((CreateDomainRequest) xl.host.requests.get(0)).getPaused());
        assertEquals(DomainRef.newBuilder().setDomain("1").build(), xl.host.requests.get(1));
    }

    @Test
    void consoleWithPausedLeavesTheDomainPaused() throws Exception {
        XlHarness.Result r = xl.run(new ByteArrayInputStream(new byte[] {0x1d}), "create", "-q", "-c", "-p",
                config.toString());

        assertEquals(0, r.exit(), r.err());
        assertEquals(1, xl.host.requests.size(), xl.host.requests::toString);
    }
}
