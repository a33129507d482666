package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What xl says, and what is left behind, when a command is wrong: an unknown domain, a duplicate name, a
 * configuration the toolstack refuses or cannot parse. Every refusal must leave the domains and the free
 * memory exactly as they were.
 */
class ErrorsIT extends HostPerClass {
    /** A domain id no test creates. */
    private static final String NO_SUCH_ID = "4242";

    private List<String> domainsBefore;
    private long freeBefore;

    @BeforeEach
    void snapshot() {
        domainsBefore = guests.names();
        freeBefore = host.hostInfo().getFreeMemory();
    }

    /** Nothing was created, nothing leaked. */
    private void assertNothingChanged() throws Exception {
        assertEquals(domainsBefore, guests.names(), "domains");
        assertEquals(freeBefore, host.freeMemory(), "xl info free_memory");
    }

    /** {@code xl create} of {@code cfg}: exit {@code exit}, and {@code message} after xl's first line. */
    private static void assertCreateFails(Path cfg, int exit, String message) throws Exception {
        Run run = host.xl("create", cfg.toString()).expectExit(exit);
        assertEquals(List.of("Parsing config from " + cfg, message), run.errLines(), run.err());
        assertEquals("", run.out());
    }

    @Test
    void unknownDomainName() throws Exception {
        for (List<String> command : List.of(List.of("list", "foo"), List.of("destroy", "foo"), List.of("pause", "foo"),
                List.of("unpause", "foo"), List.of("shutdown", "foo"), List.of("reboot", "foo"),
                List.of("rename", "foo", "bar"), List.of("uptime", "foo"), List.of("console", "foo"))) {
            Run run = host.xl(command.toArray(String[]::new)).expectExit(1);
            assertEquals("foo is an invalid domain identifier (rc=-6)\n", run.err(), "xl " + command);
        }
        Run domid = host.xl("domid", "foo").expectExit(1);
        assertEquals("Can't get domid of domain name 'foo', maybe this domain does not exist.\n", domid.err());
        assertNothingChanged();
    }

    @Test
    void unknownDomainId() throws Exception {
        Run list = host.xl("list", NO_SUCH_ID).expectExit(1);
        assertEquals("Error: Domain '" + NO_SUCH_ID + "' does not exist.\n", list.err());
        assertEquals("", list.out());
        Run destroy = host.xl("destroy", NO_SUCH_ID).expectExit(1);
        assertEquals("destroy failed (rc=-21)\n", destroy.err());
        Run domname = host.xl("domname", NO_SUCH_ID).expectExit(1);
        assertEquals("Can't get domain name of domain id '" + NO_SUCH_ID + "', maybe this domain does not exist.\n",
                domname.err());
        Run console = host.xl("console", NO_SUCH_ID).expectExit(1);
        assertEquals("Unable to attach console\n", console.err());
        for (String op : List.of("pause", "unpause")) {
            Run run = host.xl(op, NO_SUCH_ID).expectExit(1);
            assertEquals("Domain '" + NO_SUCH_ID + "' does not exist.\n", run.err(), "xl " + op);
        }
        assertNothingChanged();
    }

    @Test
    void duplicateName() throws Exception {
        guests.create("err-dup", "idle");
        snapshot();
        Path again = host.config("err-dup-again", Guests.cfg("err-dup", "idle"));
        assertCreateFails(again, 3, again + ":2:8: Domain 'err-dup' already exists.");
        assertNothingChanged();
        assertEquals(1, guests.names().stream().filter("err-dup"::equals).count());
    }

    @Test
    void zeroVcpus() throws Exception {
        Path cfg = guests.config("err-vcpus", "idle", "vcpus = 0");
        assertCreateFails(cfg, 1, cfg + ":6:9: parameter `vcpus': value `0' is smaller than minimum bound '1'");
        assertNothingChanged();
    }

    @Test
    void memoryAboveWhatIsFree() throws Exception {
        Path cfg = guests.config("err-big", "idle", "memory = 100000");
        assertCreateFails(cfg, 3, cfg + ":6:10: not enough free memory: the domain needs 100000 MiB, the host has "
                + freeBefore + " MiB free");
        assertNothingChanged();
    }

    @Test
    void maxmemBelowMemory() throws Exception {
        Path cfg = guests.config("err-maxmem", "idle", "maxmem = 8");
        assertCreateFails(cfg, 1, cfg + ":6:10: maxmem (8 MiB) is smaller than memory (16 MiB)");
        assertNothingChanged();
    }

    @Test
    void unknownKernel() throws Exception {
        Path cfg = guests.config("err-kernel", "idle", "kernel = \"linux\"");
        assertCreateFails(cfg, 1, cfg + ":6:10: kernel 'linux' is not a built-in kernel (built-in: minios); give a "
                + "path to a kernel jar for your own");
        Path missing = guests.config("err-kernel-path", "idle", "kernel = \"/nonexistent/kernel.jar\"");
        assertCreateFails(missing, 1, missing + ":6:10: kernel '/nonexistent/kernel.jar': no such readable file");
        assertNothingChanged();
    }

    @Test
    void syntaxErrorNamesFileLineAndColumn() throws Exception {
        Path cfg = host.config("err-syntax", """
                name = "err-syntax"
                memory 16
                """);
        assertCreateFails(cfg, 1, cfg + ":2:8: config parsing error near `16': syntax error, unexpected NUMBER, "
                + "expecting += or '='");
        Path lexical = host.config("err-lexical", """
                name = "err-lexical"
                memory = 16 @
                """);
        assertCreateFails(lexical, 1, lexical + ":2:13: config parsing error near `@': lexical error");
        Run override = host.xl("create", guests.config("err-override", "idle").toString(), "memory=1 6").expectExit(1);
        assertEquals("command line:1:10: config parsing error near `6': syntax error, unexpected NUMBER, expecting "
                + "$end or NEWLINE or ';'", override.errLines().getLast());
        assertNothingChanged();
    }

    @Test
    void pythonLookingConfig() throws Exception {
        Path cfg = host.config("err-python", """
                import os
                name = "err-python"
                def memory():
                    return 16
                """);
        Run run = host.xl("create", cfg.toString()).expectExit(1);
        List<String> err = run.errLines();
        assertEquals("Parsing config from " + cfg, err.getFirst());
        assertTrue(err.contains(cfg + ":1:8: config parsing error near `os': syntax error, unexpected IDENT, "
                + "expecting += or '='"), run.err());
        assertEquals(List.of("warning: Config file looks like it contains Python code.",
                "warning:  Arbitrary Python is no longer supported.",
                "warning:  See https://wiki.xen.org/wiki/PythonInXlConfig"), err.subList(err.size() - 3, err.size()));
        assertNothingChanged();
    }

    @Test
    void refusalsLeaveEarlierDomainsAlone() throws Exception {
        int domid = guests.create("err-bystander", "idle");
        guests.await("err-bystander", DomainInfo::getBlocked, "blocked");
        snapshot();
        Path cfg = guests.config("err-bystander", "idle", "vcpus = 0");
        host.xl("create", cfg.toString()).expectExit(1);
        host.xl("create", cfg.toString(), "vcpus=1").expectExit(3);
        assertNothingChanged();
        assertEquals(domid, host.domain("err-bystander").orElseThrow().getDomid());
    }
}
