package org.hvsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Value;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A domain's life through xl on one shared host: create (from a file, with overrides, paused, dry run),
 * list and its formats, lookups, rename, uptime, vcpu-list, pause, shutdown, reboot, destroy, and every
 * on_poweroff / on_reboot / on_crash action the built-in kernel's apps can trigger. Every test destroys
 * what it created and checks that free memory is back where it started.
 */
class DomainLifecycleIT extends HostPerClass {
    /** {@code <name>-YYYYMMDDTHHMMZ}: xl's preserve_domain suffix (rename-restart). */
    private static final String RENAME_SUFFIX = "-[0-9]{8}T[0-9]{4}Z";
    /** The hypervisor's console line for a crashed domain. */
    private static final Pattern CRASHED = Pattern.compile("\\(XEN\\) Domain ([0-9]+) crashed: .*");

    private static long initialFree;

    @BeforeAll
    static void recordFreeMemory() throws Exception {
        initialFree = host.freeMemory();
    }

    private static void assertFreeMemoryBack() throws IOException, InterruptedException {
        host.awaitFreeMemory(initialFree, Guests.TIMEOUT_MS);
    }

    private static void destroy(String domain) throws IOException, InterruptedException {
        host.xl("destroy", domain).expectOk();
    }

    private static DomainRow row(String name) throws IOException, InterruptedException {
        return host.row(name).orElseThrow(() -> new AssertionError("xl list has no " + name));
    }

    @Test
    void createFromFileWithOverridesThenListAndLookUp() throws Exception {
        Path cfg = host.config("lc-base", """
                # the base config; the command line renames it and changes its size
                name = "lc-base"
                memory = 16
                vcpus = 1
                cmdline = "app=idle"
                """);
        Run created = host.xl("create", cfg.toString(), "name=\"lc-list\"", "memory=24", "vcpus=2").expectOk();
        assertTrue(created.err().contains("Parsing config from " + cfg), created.err());
        DomainInfo d = guests.await("lc-list", DomainInfo::getBlocked, "blocked in its idle loop");
        assertTrue(host.domain("lc-base").isEmpty(), "the override renamed the domain");

        Run list = host.xl("list").expectOk();
        assertEquals(DomainRow.HEADER, list.outLines().getFirst());
        List<DomainRow> rows = DomainRow.parseList(list.out());
        DomainRow dom0 = rows.getFirst();
        assertEquals("Domain-0", dom0.name());
        assertEquals(0, dom0.domid());
        DomainRow row = rows.stream().filter(r -> r.name().equals("lc-list")).findFirst().orElseThrow();
        assertEquals(d.getDomid(), row.domid());
        assertEquals(24, row.memMib());
        assertEquals(2, row.vcpus());
        assertEquals("-b----", row.state());
        String line = list.outLines().stream().filter(l -> l.startsWith("lc-list ")).findFirst().orElseThrow();
        assertEquals(String.format(Locale.ROOT, "%-40s %5d %5d %5d     %s  %6d.%d", "lc-list", d.getDomid(), 24, 2,
                "-b----", row.cpuTenths() / 10, row.cpuTenths() % 10), line);

        for (String qualifier : List.of("lc-list", Integer.toString(d.getDomid()))) {
            Run one = host.xl("list", qualifier).expectOk();
            assertEquals(2, one.outLines().size(), "xl list " + qualifier + ": the header and one row\n" + one.out());
            DomainRow only = DomainRow.parseList(one.out()).getFirst();
            assertEquals(List.of("lc-list", d.getDomid(), 24L, 2, "-b----"),
                    List.of(only.name(), only.domid(), only.memMib(), only.vcpus(), only.state()));
        }

        assertEquals(d.getDomid() + "\n", host.xl("domid", "lc-list").expectOk().out());
        assertEquals("lc-list\n", host.xl("domname", Integer.toString(d.getDomid())).expectOk().out());

        Value details = Json.parse(host.xl("list", "-l", "lc-list").expectOk().out());
        assertEquals(1, details.getListValue().getValuesCount(), "one element per domain");
        assertEquals(d.getDomid(), Json.integer(details, "0", "domid"));
        assertEquals("lc-list", Json.string(details, "0", "config", "c_info", "name"));
        assertEquals("pv", Json.string(details, "0", "config", "c_info", "type"));
        assertEquals(d.getUuid(), Json.string(details, "0", "config", "c_info", "uuid"));
        assertEquals(24 * 1024, Json.integer(details, "0", "config", "b_info", "target_memkb"));
        assertEquals(24 * 1024, Json.integer(details, "0", "config", "b_info", "max_memkb"));
        assertEquals(2, Json.integer(details, "0", "config", "b_info", "max_vcpus"));
        assertEquals("app=idle", Json.string(details, "0", "config", "b_info", "cmdline"));
        // Without a domain: every domain whose configuration the toolstack keeps, so not domain 0 (as in Xen,
        // where libxl_retrieve_domain_configuration fails for it and xl skips it).
        Value all = Json.parse(host.xl("list", "-l").expectOk().out());
        assertEquals(1, all.getListValue().getValuesCount(), all.toString());
        assertEquals(d.getDomid(), Json.integer(all, "0", "domid"));

        destroy("lc-list");
        assertTrue(host.row("lc-list").isEmpty());
        assertFreeMemoryBack();
    }

    @Test
    void destroyByDomainIdRemovesItAndFreesItsMemory() throws Exception {
        int domid = guests.create("lc-destroy", "idle");
        guests.await("lc-destroy", DomainInfo::getBlocked, "blocked");
        assertEquals(initialFree - Guests.MEMORY_MIB, host.freeMemory(), "the domain holds its memory");
        destroy(Integer.toString(domid));
        assertTrue(host.row("lc-destroy").isEmpty());
        Run again = host.xl("list", Integer.toString(domid)).expectExit(1);
        assertEquals("Error: Domain '" + domid + "' does not exist.\n", again.err());
        assertFreeMemoryBack();
    }

    @Test
    void renameChangesTheNameOnly() throws Exception {
        int domid = guests.create("lc-ren", "idle");
        host.xl("rename", "lc-ren", "lc-renamed").expectOk();
        DomainRow row = row("lc-renamed");
        assertEquals(domid, row.domid());
        assertTrue(host.row("lc-ren").isEmpty());
        Run old = host.xl("list", "lc-ren").expectExit(1);
        assertEquals("lc-ren is an invalid domain identifier (rc=-6)\n", old.err());
        assertEquals(domid + "\n", host.xl("domid", "lc-renamed").expectOk().out());
        destroy("lc-renamed");
        assertFreeMemoryBack();
    }

    @Test
    void uptimeAndVcpuListInXensFormats() throws Exception {
        int domid = guests.create("lc-vcpus", "idle", "vcpus = 2");
        guests.await("lc-vcpus", DomainInfo::getBlocked, "blocked");

        Run uptime = host.xl("uptime", "lc-vcpus").expectOk();
        assertEquals("Name" + " ".repeat(32) + "ID Uptime", uptime.outLines().get(0), "\"%-33s %4s %s\"");
        assertEquals(2, uptime.outLines().size(), uptime.out());
        String up = uptime.outLines().get(1);
        String prefix = String.format(Locale.ROOT, "%-33s %4d ", "lc-vcpus", domid);
        assertTrue(up.startsWith(prefix) && up.substring(prefix.length()).matches(" 0:0[0-9]:[0-5][0-9]"),
                "uptime row [" + up + "]");

        Run vcpus = host.xl("vcpu-list", "lc-vcpus").expectOk();
        List<String> lines = vcpus.outLines();
        assertEquals("Name" + " ".repeat(32) + "ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)", lines.get(0),
                "\"%-32s %5s %5s %5s %5s %9s %s\"");
        assertEquals(3, lines.size(), vcpus.out());
        for (int v = 0; v < 2; v++) {
            String expected = Pattern.quote(String.format(Locale.ROOT, "%-32s %5d %5d", "lc-vcpus", domid, v))
                    + "    [01]   [r-][b-]- [ 0-9]{6}[0-9]\\.[0-9]  all / all";
            assertTrue(lines.get(1 + v).matches(expected), "vcpu-list row [" + lines.get(1 + v) + "]");
        }
        destroy("lc-vcpus");
        assertFreeMemoryBack();
    }

    @Test
    void pauseStopsTheGuestAndUnpauseResumesIt() throws Exception {
        guests.create("lc-pause", "cpuburn");
        guests.await("lc-pause", d -> d.getCpuTimeNs() > 0, "burning CPU");

        host.xl("pause", "lc-pause").expectOk();
        assertEquals('p', row("lc-pause").state().charAt(2), "state flag p");
        long pausedAt = host.domain("lc-pause").orElseThrow().getCpuTimeNs();
        host.xl("vcpu-list", "lc-pause").expectOk(); // time passes
        assertEquals(pausedAt, host.domain("lc-pause").orElseThrow().getCpuTimeNs(), "a paused guest gets no CPU");

        host.xl("unpause", "lc-pause").expectOk();
        guests.await("lc-pause", d -> d.getCpuTimeNs() > pausedAt, "burning again");
        assertEquals('-', row("lc-pause").state().charAt(2));
        destroy("lc-pause");
        assertFreeMemoryBack();
    }

    @Test
    void shutdownWaitOfAnIdleGuestWithOnPoweroffDestroy() throws Exception {
        int domid = guests.create("lc-shut", "idle", "on_poweroff = \"destroy\"");
        guests.await("lc-shut", DomainInfo::getBlocked, "blocked");
        Run shut = host.xl("shutdown", "-w", "lc-shut").expectOk();
        assertTrue(shut.err().contains("Shutting down domain " + domid + "\n"), shut.err());
        assertTrue(shut.err().contains("Waiting for 1 domains\n"), shut.err());
        assertTrue(host.row("lc-shut").isEmpty(), "on_poweroff=destroy: gone once xl shutdown -w returns");
        assertFreeMemoryBack();
    }

    @Test
    void rebootWithOnRebootRestartKeepsTheNameWithANewDomid() throws Exception {
        int first = guests.create("lc-reboot", "idle", "on_reboot = \"restart\"");
        guests.awaitConsole("lc-reboot", "minios: running app idle");
        Run reboot = host.xl("reboot", "lc-reboot").expectOk();
        assertTrue(reboot.err().contains("Rebooting domain " + first), reboot.err());
        DomainInfo again = guests.await("lc-reboot", d -> d.getDomid() != first, "restarted");
        assertTrue(again.getDomid() > first, "Xen hands out increasing domids");
        DomainRow row = row("lc-reboot");
        assertEquals(again.getDomid(), row.domid());
        assertFalse(row.shutdown());
        assertTrue(host.list().stream().noneMatch(r -> r.domid() == first), "the old domain is gone");
        String log = guests.awaitConsole("lc-reboot", "minios: running app idle\n");
        Host.await(() -> {
            try {
                return Guests.count(host.consoleLog("lc-reboot"), "hvsim minios: booting") == 2;
            } catch (IOException e) {
                return false;
            }
        }, Guests.TIMEOUT_MS, () -> "a second boot in the console log:\n" + log);
        destroy("lc-reboot");
        assertFreeMemoryBack();
    }

    @Test
    void helloWithOnPoweroffDestroyPowersItselfOffAndDisappears() throws Exception {
        host.xl("create", guests.config("lc-hello", "hello", "on_poweroff = \"destroy\"").toString()).expectOk();
        guests.awaitGone("lc-hello");
        String log = guests.awaitConsole("lc-hello", "minios: app hello finished; powering off");
        assertTrue(log.contains("Hello, world!\n"), log);
        assertTrue(host.row("lc-hello").isEmpty());
        assertFreeMemoryBack();
    }

    @Test
    void helloWithOnPoweroffPreserveStaysShutDown() throws Exception {
        guests.start("lc-keep", "hello", "on_poweroff = \"preserve\"");
        guests.await("lc-keep", DomainInfo::getShutdown, "shut down");
        assertEquals("---s--", row("lc-keep").state(), "shut down, reason poweroff ('-')");
        assertEquals(initialFree - Guests.MEMORY_MIB, host.freeMemory(), "a preserved domain keeps its memory");
        destroy("lc-keep");
        assertFreeMemoryBack();
    }

    @Test
    void aWorkloadsResultIsThereAfterItsDomainShutDownWhileItIsListed() throws Exception {
        guests.start("lc-bench", "hcbench calls=100000", "on_poweroff = \"preserve\"");
        guests.await("lc-bench", DomainInfo::getShutdown, "shut down");
        Run result = host.xl("workload-result", "lc-bench").expectOk();
        assertTrue(result.out().startsWith("{\"app\":\"hcbench\",\"calls\":100000,\"total_ns\":"), result.out());
        assertTrue(result.out().endsWith("}\n") && result.out().lines().count() == 1, result.out());
        assertTrue(host.consoleLog("lc-bench").contains(result.out().strip()), "the same JSON line on its console");
        destroy("lc-bench");

        guests.start("lc-quiet", "idle");
        Run none = host.xl("workload-result", "lc-quiet");
        assertEquals(1, none.exit());
        assertTrue(none.err().strip().matches("Domain \\d+ \\(lc-quiet\\) has left no workload result"), none.err());
        destroy("lc-quiet");
        assertFreeMemoryBack();
    }

    @Test
    void aDomainsDisksAreInXenstoreAsLibxlLaysThemOutAndXlBlockListShowsThem() throws Exception {
        int domid = guests.create("lc-disks", "idle", "disk = [ 'vdev=xvda, target=null:1G', 'null:64M,,xvdb,r' ]");
        AtomicReference<List<String>> listed = new AtomicReference<>(List.of());
        Host.await(() -> {
            try {
                listed.set(host.xl("block-list", "lc-disks").expectOk().outLines());
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
            List<String> l = listed.get();
            return l.size() == 3 && l.get(1).split(" +")[3].equals("4") && l.get(2).split(" +")[3].equals("4");
        }, 30_000, () -> "both disks Connected (state 4) in xl block-list: " + listed.get());
        List<String> rows = listed.get();
        assertEquals("Vdev  BE  handle state evt-ch ring-ref BE-path                       ", rows.get(0));
        for (int i = 0; i < 2; i++) {
            String[] f = rows.get(1 + i).split(" +");
            int devid = i == 0 ? 51712 : 51728;
            assertEquals(String.format("%-5d %-3d %-6d %-5d %-6s %-8s %-30s", devid, 0, domid, 4, f[4], f[5],
                    "/local/domain/0/backend/vbd/" + domid + "/" + devid), rows.get(1 + i));
            assertTrue(Integer.parseInt(f[4]) > 0 && Integer.parseInt(f[5]) > 0, "the frontend's port and ring: "
                    + rows.get(1 + i));
        }
        destroy("lc-disks");
        assertEquals(List.of("Vdev  BE  handle state evt-ch ring-ref BE-path                       "),
                host.xl("block-list", Integer.toString(domid)).expectOk().outLines(), "gone with the domain");
        assertFreeMemoryBack();
    }

    @Test
    void crashWithOnCrashDestroyDisappears() throws Exception {
        int domid = guests.start("lc-crash", "crash", "on_crash = \"destroy\"");
        guests.awaitGone("lc-crash");
        assertTrue(host.xl("dmesg").expectOk().out().contains("(XEN) Domain " + domid + " crashed: "));
        assertFreeMemoryBack();
    }

    @Test
    void crashWithOnCrashPreserveShowsTheCrashFlag() throws Exception {
        guests.start("lc-crashkeep", "crash", "on_crash = \"preserve\"");
        guests.await("lc-crashkeep", DomainInfo::getShutdown, "shut down");
        assertEquals("---sc-", row("lc-crashkeep").state(), "shut down, reason crash ('c')");
        destroy("lc-crashkeep");
        assertFreeMemoryBack();
    }

    @Test
    void crashWithOnCrashRestartStartsItAgain() throws Exception {
        int first = guests.start("lc-again", "crash", "on_crash = \"restart\"");
        Host.await(() -> crashedDomids().stream().anyMatch(domid -> domid > first), Guests.TIMEOUT_MS,
                "a restarted incarnation of domain " + first + " to crash too");
        assertTrue(crashedDomids().contains(first));
        assertTrue(Guests.count(host.consoleLog("lc-again"), "hvsim minios: booting") >= 2,
                "the console log shows every boot:\n" + host.consoleLog("lc-again"));
        // It keeps crashing and being restarted; stop it (an incarnation may be starting as we destroy).
        Host.await(() -> {
            host.domain("lc-again").ifPresent(d -> guests.destroyQuietly(d.getDomid()));
            return host.domain("lc-again").isEmpty();
        }, Guests.TIMEOUT_MS, "lc-again to stay destroyed");
        assertFreeMemoryBack();
    }

    /** The rows of {@code xl list} whose names start with {@code prefix}. */
    private static List<DomainRow> rowsOf(String prefix) throws IOException, InterruptedException {
        return host.list().stream().filter(r -> r.name().startsWith(prefix)).toList();
    }

    /** The domains {@code xl dmesg} reports crashed. */
    private static List<Integer> crashedDomids() {
        try {
            return host.xl("dmesg").expectOk().out().lines().map(CRASHED::matcher).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).toList();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rebootWithOnRebootRenameRestartPreservesTheOldDomainUnderANewName() throws Exception {
        int first = guests.create("lc-rr", "idle", "on_reboot = \"rename-restart\"");
        guests.awaitConsole("lc-rr", "minios: running app idle");
        host.xl("reboot", "lc-rr").expectOk();
        DomainInfo restarted = guests.await("lc-rr", d -> d.getDomid() != first, "restarted");
        List<DomainRow> rows = host.list();
        DomainRow old = rows.stream().filter(r -> r.domid() == first).findFirst()
                .orElseThrow(() -> new AssertionError("the old domain was not preserved: " + rows));
        assertTrue(old.name().matches("lc-rr" + RENAME_SUFFIX), old.name());
        // Shut down, reason reboot ('r'), not paused, running or dying. xl reboot shuts it down from outside
        // (SCHEDOP_remote_shutdown) while its vCPU is blocked, so like Xen's getdomaininfo the 'b' flag may stay.
        assertTrue(old.state().matches("-[b-]-sr-"), old.state());
        DomainRow now = rows.stream().filter(r -> r.name().equals("lc-rr")).findFirst().orElseThrow();
        assertEquals(restarted.getDomid(), now.domid());
        assertFalse(now.shutdown());
        destroy(Integer.toString(first));
        destroy("lc-rr");
        assertFreeMemoryBack();
    }

    @Test
    void crashLoopWithOnCrashRenameRestartNeverGivesTwoDomainsOneName() throws Exception {
        int first = guests.start("lc-rrc", "crash", "on_crash = \"rename-restart\"");
        // The first crash renames lc-rrc to lc-rrc-<minute> and restarts it; the restarted one crashes within
        // the same minute, finds that name taken (xl's preserve_domain fails) and is left, crashed, as lc-rrc:
        // two listings in a row agree, nothing restarts any more.
        AtomicReference<List<DomainRow>> settled = new AtomicReference<>(List.of());
        Host.await(() -> {
            try {
                List<DomainRow> rows = rowsOf("lc-rrc");
                boolean leftInPlace = rows.stream().anyMatch(r -> r.name().equals("lc-rrc") && r.domid() != first
                        && r.state().equals("---sc-"));
                settled.set(rows);
                return leftInPlace && rows.equals(rowsOf("lc-rrc"));
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }, Guests.TIMEOUT_MS, () -> "lc-rrc to crash again and be left in place; xl list showed " + settled.get());
        List<DomainRow> rows = settled.get();
        List<String> names = rows.stream().map(DomainRow::name).toList();
        assertEquals(names.size(), new HashSet<>(names).size(), "domain names are unique: " + names);
        assertTrue(names.stream().anyMatch(n -> n.matches("lc-rrc" + RENAME_SUFFIX)), names.toString());
        for (DomainRow r : rows) {
            assertEquals("---sc-", r.state(), r.toString());
            destroy(Integer.toString(r.domid()));
        }
        assertFreeMemoryBack();
    }

    @Test
    void crashWithOnCrashCoredumpDestroyWritesAnElfCore() throws Exception {
        guests.start("lc-core", "crash", "on_crash = \"coredump-destroy\"");
        guests.awaitGone("lc-core");
        Path core = host.home().resolve("dump/lc-core");
        assertTrue(Files.exists(core), "core file " + core);
        ByteBuffer ehdr = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        long loadBytes = 0;
        try (FileChannel f = FileChannel.open(core)) {
            f.read(ehdr, 0);
            assertEquals(0x464c457f, ehdr.getInt(0), "ELF magic");
            assertEquals(2, ehdr.get(4), "ELFCLASS64");
            assertEquals(1, ehdr.get(5), "ELFDATA2LSB");
            assertEquals(4, ehdr.getShort(16), "ET_CORE");
            assertEquals(62, ehdr.getShort(18), "EM_X86_64");
            long phoff = ehdr.getLong(32);
            int phentsize = ehdr.getShort(54);
            int phnum = ehdr.getShort(56);
            assertTrue(phnum > 0, "program headers");
            for (int i = 0; i < phnum; i++) {
                ByteBuffer phdr = ByteBuffer.allocate(phentsize).order(ByteOrder.LITTLE_ENDIAN);
                f.read(phdr, phoff + (long) i * phentsize);
                assertEquals(1, phdr.getInt(0), "PT_LOAD");
                long offset = phdr.getLong(8);
                long filesz = phdr.getLong(32);
                assertTrue(offset + filesz <= f.size(), "segment " + i + " lies in the file");
                loadBytes += filesz;
            }
        }
        assertEquals(Guests.MEMORY_MIB << 20, loadBytes, "the core holds all of the domain's memory");
        assertFreeMemoryBack();
    }

    @Test
    void createPausedThenUnpauseRunsIt() throws Exception {
        Path cfg = guests.config("lc-paused", "idle");
        host.xl("create", "-p", cfg.toString()).expectOk();
        DomainRow row = row("lc-paused");
        assertEquals("--p---", row.state());
        assertEquals("", host.consoleLog("lc-paused"), "a paused domain has not run its kernel");
        host.xl("unpause", "lc-paused").expectOk();
        guests.awaitConsole("lc-paused", "minios: running app idle");
        assertEquals('-', row("lc-paused").state().charAt(2));
        destroy("lc-paused");
        assertFreeMemoryBack();
    }

    @Test
    void createDryRunPrintsTheConfigAsJsonAndCreatesNothing() throws Exception {
        List<String> before = guests.names();
        Path cfg = guests.config("lc-dry", "idle", "kernel = \"/nonexistent/kernel.jar\"", "vcpus = 2");
        Run dry = host.xl("create", "-n", cfg.toString(), "memory=20").expectOk();
        Value config = Json.parse(dry.out());
        assertEquals("lc-dry", Json.string(config, "c_info", "name"));
        assertEquals(20 * 1024, Json.integer(config, "b_info", "target_memkb"));
        assertEquals(2, Json.integer(config, "b_info", "max_vcpus"));
        assertEquals("/nonexistent/kernel.jar", Json.string(config, "b_info", "kernel"),
                "like Xen's, a dry run does not open the kernel");
        assertEquals(before, guests.names(), "nothing created");
        assertEquals(initialFree, host.freeMemory());
    }
}
