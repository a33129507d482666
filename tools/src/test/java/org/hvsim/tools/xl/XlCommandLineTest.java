package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class XlCommandLineTest {
    private XlHarness xl;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(0).setName("Domain-0").build());
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    @Test
    void everySubcommandIsRegisteredUnderItsOwnName() {
        List<String> annotated = new ArrayList<>();
        CommandLine cl = XlCommandLine.create(new XlEnvironment(new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()), OutputStream.nullOutputStream(),
                InputStream.nullInputStream(), xl.connector(), xl.clock, xl.terminal));
        cl.getSubcommands().forEach((name, sub) -> {
            assertEquals(name, sub.getCommandSpec().userObject().getClass().getAnnotation(CommandLine.Command.class)
                    .name());
            annotated.add(name);
        });
        assertEquals(List.of("create", "list", "destroy", "shutdown", "reboot", "pause", "unpause", "console",
                "vcpu-list", "vcpu-pin", "vcpu-set", "block-attach", "block-list", "block-detach", "sched-credit", "info", "domid", "domname", "rename", "mem-set",
                "mem-max", "dmesg", "uptime", "evtchn-watch", "vcpu-runstate", "workload-result", "help"),
                annotated);
    }

    @Test
    void anUnambiguousPrefixNamesASubcommand() {
        assertEquals(0, xl.run("li").exit());
        assertEquals("Domain-0\n", xl.run("domn", "0").out());
        XlHarness.Result ambiguous = xl.run("do", "0");
        assertEquals(1, ambiguous.exit());
        assertEquals("command not implemented\n", ambiguous.err());
        assertEquals("list", XlCommandLine.lookup("list", List.of("list", "list-more")));
    }

    @Test
    void anUnknownSubcommandOrGlobalOption() {
        XlHarness.Result unknown = xl.run("frobnicate");
        assertEquals(1, unknown.exit());
        assertEquals("command not implemented\n", unknown.err());

        XlHarness.Result option = xl.run("-z", "list");
        assertEquals(1, option.exit());
        assertEquals("unknown global option\n", option.err());
    }

    @Test
    void theGlobalOptionsAreAccepted() {
        XlHarness.Result r = xl.run("-v", "-f", "-t", "-T", "list");
        assertEquals(0, r.exit(), r.err());
        assertEquals(0, xl.run("-vftT", "list").exit());
    }

    @Test
    void dryRunOnlyForCommandsThatHaveOne() {
        XlHarness.Result r = xl.run("-N", "list");

        assertEquals(1, r.exit());
        assertEquals("command does not implement -N (dryrun) option\n", r.err());
        assertEquals(0, xl.connections.get(), "xl contacted the host");
    }

    @Test
    void missingArgumentsAndUnknownOptionsExit2() {
        XlHarness.Result missing = xl.run("rename", "web");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("'xl rename' requires at least 2 arguments.\n\n"), missing.err());
        assertTrue(missing.out().startsWith("Usage: xl [-vftT] rename <Domain> <NewDomainName>"), missing.out());

        assertTrue(xl.run("destroy").err().startsWith("'xl destroy' requires at least 1 argument.\n\n"));

        XlHarness.Result option = xl.run("list", "-q");
        assertEquals(2, option.exit());
        assertEquals("option `q' not supported.\n", option.err());
    }

    @Test
    void helpListsTheSubcommandsAsXlDoes() {
        XlHarness.Result r = xl.run("help");

        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage xl [-vfNtT] <subcommand> [args]\n\nxl full list of subcommands:\n\n"
                + " create              Create a domain from config file <filename>\n"
                + " list                List information about all/some domains\n"), r.out());
        assertTrue(r.out().contains("\n vcpu-list           List the VCPUs for all/some domains\n"), r.out());
        assertEquals(0, xl.connections.get(), "help contacted the host");
    }

    @Test
    void noSubcommandPrintsTheListAndExits1() {
        XlHarness.Result r = xl.run();

        assertEquals(1, r.exit());
        assertTrue(r.out().startsWith("Usage xl [-vfNtT] <subcommand> [args]\n"), r.out());
    }

    @Test
    void helpForOneSubcommandAndForOneThatDoesNotExist() {
        XlHarness.Result list = xl.run("help", "list");
        assertEquals(0, list.exit());
        assertTrue(list.out().startsWith("Usage: xl [-vtT] list [options] [Domain]\n\nList information about all/some"
                + " domains\n"), list.out());
        assertTrue(list.out().contains("-l, --long"), list.out());

        assertEquals(list.out(), xl.run("list", "-h").out());
        assertEquals("command \"nope\" not implemented\n", xl.run("help", "nope").out());
    }
}
