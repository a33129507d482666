package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.GuestType;
import org.hvsim.proto.control.LifecycleAction;
import org.hvsim.proto.control.SourceLocation;
import org.junit.jupiter.api.Test;

class DomainConfigReaderTest {
    private static final String PV = "name = 'vm'\nkernel = 'idle'\n";

    private static LoadedConfig load(String text) throws XlConfigException {
        return XlConfigLoader.parse(text, "vm.cfg", List.of());
    }

    private static DomainConfig config(String text) throws XlConfigException {
        return load(text).config();
    }

    private static String error(String text) {
        return assertThrows(XlConfigException.class, () -> load(text)).getMessage();
    }

    private static CpuSet cpus(Integer... cpus) {
        return CpuSet.newBuilder().addAllCpus(List.of(cpus)).build();
    }

    private static final CpuSet ALL = CpuSet.newBuilder().setAll(true).build();

    @Test
    void readsEveryModelledKey() throws Exception {
        DomainConfig c = config("""
                name = "web"
                uuid = "6CA6BDA1-9F4B-4C8D-8B6E-3F2A1D0C9B8A"
                type = "pv"
                memory = 256
                maxmem = 0x200
                vcpus = 2
                maxvcpus = 4
                cpus = "0-3,^1"
                cpus_soft = "all"
                cpu_weight = 512
                cap = 050
                pool = "Pool-0"
                kernel = "net-server"
                ramdisk = "/boot/initrd"
                cmdline = "app=net"
                bootloader = "pygrub"
                on_poweroff = "preserve"
                on_reboot = "rename-restart"
                on_watchdog = "coredump-destroy"
                on_crash = "coredump-restart"
                on_soft_reset = "destroy"
                max_grant_frames = 32
                max_maptrack_frames = 1024
                max_event_channels = 2047
                seclabel = "system_u:system_r:domU_t"
                disk = [ '/img/a.img,raw,xvda,rw' ]
                vif = [ 'mac=00:16:3e:00:00:01', 'bridge=xenbr1' ]
                """);
        assertEquals("web", c.getName());
        assertEquals("6ca6bda1-9f4b-4c8d-8b6e-3f2a1d0c9b8a", c.getUuid());
        assertEquals(GuestType.GUEST_TYPE_PV, c.getType());
        assertEquals(256 * 1024, c.getTargetMemkb());
        assertEquals(512 * 1024, c.getMaxMemkb());
        assertEquals(2, c.getVcpus());
        assertEquals(4, c.getMaxVcpus());
        assertEquals(List.of(cpus(0, 2, 3)), c.getCpusList());
        assertEquals(List.of(ALL), c.getCpusSoftList());
        assertEquals(512, c.getCpuWeight());
        assertEquals(40, c.getCap());
        assertEquals("Pool-0", c.getPool());
        assertEquals("net-server", c.getKernel());
        assertEquals("/boot/initrd", c.getRamdisk());
        assertEquals("app=net", c.getCmdline());
        assertEquals("pygrub", c.getBootloader());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_PRESERVE, c.getOnPoweroff());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_RESTART_RENAME, c.getOnReboot());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_COREDUMP_DESTROY, c.getOnWatchdog());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_COREDUMP_RESTART, c.getOnCrash());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_DESTROY, c.getOnSoftReset());
        assertEquals(32, c.getMaxGrantFrames());
        assertEquals(1024, c.getMaxMaptrackFrames());
        assertEquals(2047, c.getMaxEventChannels());
        assertEquals("system_u:system_r:domU_t", c.getSeclabel());
        assertEquals("/img/a.img", c.getDisks(0).getTarget());
        assertEquals("00:16:3e:00:00:01", c.getVifs(0).getMac());
        assertEquals(1, c.getVifs(1).getDevid());
        assertEquals("xenbr1", c.getVifs(1).getBridge());
        assertEquals(List.of(), c.getIgnoredKeysList());
        assertEquals(SourceLocation.newBuilder().setFile("vm.cfg").setLine(4).setColumn(10).build(),
                c.getLocationsOrThrow("memory"));
        assertEquals(27, c.getLocationsOrThrow("vif[1]").getLine());
        assertEquals(34, c.getLocationsOrThrow("vif[1]").getColumn());
        assertEquals("vm.cfg", c.getSourceFile());
    }

    @Test
    void appliesXlsDefaults() throws Exception {
        DomainConfig c = config(PV + "memory = 64\nvcpus = 3\n");
        assertEquals(GuestType.GUEST_TYPE_PV, c.getType());
        assertEquals(64 * 1024, c.getMaxMemkb());
        assertEquals(3, c.getMaxVcpus());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_RESTART, c.getOnReboot());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_SOFT_RESET, c.getOnSoftReset());
        DomainConfig bare = config(PV);
        assertEquals(0, bare.getTargetMemkb());
        assertEquals(0, bare.getMaxVcpus());
        assertEquals("", bare.getUuid());
    }

    @Test
    void typeAndBuilderTakePrefixesAsXlDoes() throws Exception {
        assertEquals(GuestType.GUEST_TYPE_HVM, config("name='v'\ntype='h'").getType());
        assertEquals(GuestType.GUEST_TYPE_PV, config(PV + "type='p'").getType());
        assertEquals(GuestType.GUEST_TYPE_PVH, config(PV + "type='pvh'").getType());
        assertEquals(GuestType.GUEST_TYPE_HVM, config("name='v'\nbuilder='hvm'").getType());
        assertEquals(GuestType.GUEST_TYPE_PV, config(PV + "builder='generic'").getType());
        assertEquals(GuestType.GUEST_TYPE_HVM, config("name='v'\nbuilder='hvm'\ntype='hvm'").getType());
        assertEquals("vm.cfg:3:6: Invalid domain type kvm.", error(PV + "type='kvm'"));
        assertEquals("vm.cfg:3:6: Invalid domain type .", error(PV + "type=''"));
        assertEquals("vm.cfg:3:9: Invalid domain type linux.", error(PV + "builder='linux'"));
        assertEquals("vm.cfg:4:9: Contradicting \"builder\" and \"type\" options specified.",
                error(PV + "type='pv'\nbuilder='hvm'"));
    }

    @Test
    void composesTheCommandLineFromRootAndExtra() throws Exception {
        assertEquals("root=/dev/xvda1 ro quiet", config(PV + "root='/dev/xvda1 ro'\nextra='quiet'").getCmdline());
        assertEquals("root=/dev/xvda1", config(PV + "root='/dev/xvda1'").getCmdline());
        assertEquals("quiet", config(PV + "extra='quiet'").getCmdline());
        LoadedConfig both = load(PV + "cmdline='app=idle'\nextra='quiet'");
        assertEquals("app=idle", both.config().getCmdline());
        assertEquals(List.of("vm.cfg:3: warning: ignoring root= and extra= in favour of cmdline="), both.warnings());
    }

    @Test
    void unmodelledKeysAreListedAndWarnedOnce() throws Exception {
        LoadedConfig loaded = load(PV + "sdl = 1\nvnc = 1\nsdl = 0\nfirmware = 'x'\n");
        assertEquals(List.of("sdl", "vnc", "firmware"), loaded.config().getIgnoredKeysList());
        assertEquals(List.of("vm.cfg:5: warning: key 'sdl' is not modelled by hvsim; ignored",
                "vm.cfg:4: warning: key 'vnc' is not modelled by hvsim; ignored",
                "vm.cfg:6: warning: key 'firmware' is not modelled by hvsim; ignored"), loaded.warnings());
        assertEquals(5, loaded.config().getLocationsOrThrow("sdl").getLine());
    }

    @Test
    void aListOfCpulistsGivesEachVcpuItsOwn() throws Exception {
        DomainConfig c = config(PV + "vcpus = 3\ncpus = ['2', '3-8,^5', 'all']");
        assertEquals(List.of(cpus(2), cpus(3, 4, 6, 7, 8), ALL), c.getCpusList());
        assertEquals(4, c.getLocationsOrThrow("cpus[1]").getLine());
        DomainConfig one = config(PV + "vcpus = 3\ncpus = ['2']");
        assertEquals(List.of(cpus(2), ALL, ALL), one.getCpusList());
        LoadedConfig extra = load(PV + "vcpus = 1\ncpus_soft = ['1', '2']");
        assertEquals(List.of(cpus(1)), extra.config().getCpusSoftList());
        assertEquals(List.of("vm.cfg:4: warning: `cpus_soft' has 2 entries but the domain has 1 vCPU(s);"
                + " the extra entries are ignored"), extra.warnings());
        assertEquals(List.of(), config(PV + "cpus = []").getCpusList());
    }

    @Test
    void refusesWrongShapesAndBadNumbersAtTheValue() {
        assertEquals("vm.cfg:3:10: parameter `memory' is a list but should be a single value", error(PV + "memory = [1]"));
        assertEquals("vm.cfg:3:8: parameter `disk' is a single value but should be a list", error(PV + "disk = 'x'"));
        assertEquals("vm.cfg:3:10: parameter `memory' is not a valid number", error(PV + "memory = '1G'"));
        assertEquals("vm.cfg:3:10: parameter `memory' is not a valid number", error(PV + "memory = 09"));
        assertEquals("vm.cfg:3:9: parameter `vcpus' could not be parsed as a number: Numerical result out of range",
                error(PV + "vcpus = 99999999999999999999"));
        assertEquals("vm.cfg:4:11: can't use += with numbers for parameter `memory'",
                error(PV + "memory = 1\nmemory += 2"));
        assertEquals("vm.cfg:3:14: parameter `cpu_weight': value `0' is smaller than minimum bound '1'",
                error(PV + "cpu_weight = 0"));
        assertEquals("vm.cfg:3:14: parameter `cpu_weight': value `65536' is greater than maximum bound '65535'",
                error(PV + "cpu_weight = 65536"));
        assertEquals("vm.cfg:3:7: parameter `cap': value `-1' is smaller than minimum bound '0'", error(PV + "cap = '-1'"));
        assertEquals("vm.cfg:3:9: parameter `vcpus': value `129' is greater than maximum bound '128'",
                error(PV + "vcpus = 129"));
        assertEquals("vm.cfg:3:20: parameter `max_grant_frames': value `2147483648' is greater than maximum bound"
                + " '2147483647'", error(PV + "max_grant_frames = 0x80000000"));
        assertEquals("vm.cfg:2:8: parameter `name' is a list but should be a single value",
                error("kernel = 'k'\nname = ['a']"));
    }

    @Test
    void staticChecksXlMakes() throws XlConfigException {
        assertEquals("vm.cfg: Domain name must be specified.", error("kernel = 'k'"));
        assertEquals("vm.cfg:1:8: Domain name must be specified.", error("name = ''\nkernel = 'k'"));
        assertEquals("", config("name = 'v'").getKernel(), "no kernel: dom0 boots the built-in one");
        assertEquals("vm.cfg:4:12: maxvcpus < vcpus", error(PV + "vcpus = 4\nmaxvcpus = 2"));
        assertEquals("vm.cfg:4:10: maxmem (64 MiB) is smaller than memory (128 MiB)", error(PV + "memory = 128\nmaxmem = 64"));
        assertEquals("vm.cfg:3:8: Failed to parse UUID: 1234", error(PV + "uuid = '1234'"));
        assertEquals("vm.cfg:3:12: Unknown on_crash action \"rename_restart\" specified",
                error(PV + "on_crash = 'rename_restart'"));
        assertEquals("vm.cfg:3:8: Invalid pcpu range: 9-2.", error(PV + "cpus = '9-2'"));
        assertEquals("vm.cfg:3:14: parameter `cpus': entry 1 is a list but should be a CPULIST string",
                error(PV + "cpus = ['1', ['2']]"));
    }

    @Test
    void deviceErrorsPointAtTheEntry() {
        assertEquals("vm.cfg:3:21: config parsing error in disk specification: no vdev specified in `/b'",
                error(PV + "disk = ['/a,,xvda', '/b']"));
        assertEquals("vm.cfg:4:3: Invalid parameter `mac' in vif `mac=zz'", error(PV + "vif = [\n  'mac=zz'\n]"));
        assertEquals("vm.cfg:3:9: parameter `vif': entry 0 is a list but should be a single value",
                error(PV + "vif = [ [] ]"));
    }

    @Test
    void hvmloaderAsAKernelIsDroppedWithXlsWarning() throws Exception {
        LoadedConfig loaded = load("name = 'h'\nbuilder = 'hvm'\nkernel = '/usr/lib/xen/boot/hvmloader'");
        assertEquals("", loaded.config().getKernel());
        assertTrue(loaded.warnings().get(0).startsWith("vm.cfg:3: warning: you seem to be using \"kernel\" directive"));
    }

    @Test
    void deviceWarningsCarryTheEntrysLine() throws Exception {
        LoadedConfig loaded = load(PV + "vif = ['netdev=eth0']\ndisk = ['/x,,xvda,colo']");
        assertEquals(List.of("vm.cfg:3: warning: the netdev parameter is deprecated, please use gatewaydev instead",
                "vm.cfg:4: warning: disk flag `colo' (COLO) is not modelled by hvsim; ignored").reversed(),
                loaded.warnings());
    }

    @Test
    void xenstoreQuotaItemsAreCheckedWhereTheyAre() throws XlConfigException {
        assertEquals(List.of("nodes=2000", "soft-memory=0"),
                config(PV + "xenstore_quota = [ 'nodes=2000', 'soft-memory = 0' ]").getXenstoreQuotaList());
        assertEquals("vm.cfg:3:31: xenstore_quota: unknown quota \"bogus\" (known: nodes, watches, outstanding,"
                + " memory, soft-memory, transactions, transaction-nodes, node-permissions, path-max, node-size)",
                error(PV + "xenstore_quota = [ 'nodes=1', 'bogus=2' ]"));
        assertEquals("vm.cfg:3:20: xenstore_quota: item \"nodes\" is not <quota>=<value>",
                error(PV + "xenstore_quota = [ 'nodes' ]"));
        assertEquals("vm.cfg:3:20: xenstore_quota: the value of nodes must be a number; got \"-1\"",
                error(PV + "xenstore_quota = [ 'nodes=-1' ]"));
    }
}
