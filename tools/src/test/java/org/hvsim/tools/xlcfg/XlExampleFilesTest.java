package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hvsim.proto.control.CpuSet;
import org.hvsim.proto.control.DiskSpec;
import org.hvsim.proto.control.DomainConfig;
import org.hvsim.proto.control.GuestType;
import org.hvsim.proto.control.LifecycleAction;
import org.hvsim.proto.control.VifSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every file of Xen's examples (test resources xl-examples/, from shared/data/xl-examples) gives the result its PROVENANCE.md table expects. */
class XlExampleFilesTest {

    private static LoadedConfig load(String name) throws Exception {
        return XlConfigLoader.load(XlExamples.file(name), List.of());
    }

    private static DiskSpec disk(String spec, String target, String format, String vdev, int number, boolean rw) {
        return DiskSpec.newBuilder().setSpec(spec).setTarget(target).setFormat(format).setVdev(vdev)
                .setVirtualDevice(number).setReadwrite(rw).build();
    }

    private static void assertDefaultActions(DomainConfig c) {
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_DESTROY, c.getOnPoweroff());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_RESTART, c.getOnReboot());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_DESTROY, c.getOnWatchdog());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_DESTROY, c.getOnCrash());
        assertEquals(LifecycleAction.LIFECYCLE_ACTION_SOFT_RESET, c.getOnSoftReset());
    }

    @Test
    void xlexampleHvm() throws Exception {
        LoadedConfig loaded = load("xlexample.hvm");
        DomainConfig c = loaded.config();
        assertEquals(GuestType.GUEST_TYPE_HVM, c.getType());
        assertEquals("example.hvm", c.getName());
        assertEquals(128 * 1024, c.getTargetMemkb());
        assertEquals(128 * 1024, c.getMaxMemkb());
        assertEquals(2, c.getVcpus());
        assertEquals(2, c.getMaxVcpus());
        assertEquals(List.of(VifSpec.newBuilder().setSpec("").setDevid(0).build()), c.getVifsList());
        assertEquals(List.of(disk("/dev/vg/guest-volume,raw,xvda,rw", "/dev/vg/guest-volume", "raw", "xvda", 51712, true)),
                c.getDisksList());
        assertDefaultActions(c);
        assertEquals(List.of("sdl"), c.getIgnoredKeysList());
        assertEquals(List.of(XlExamples.file("xlexample.hvm") + ":46: warning: key 'sdl' is not modelled by hvsim; ignored"),
                loaded.warnings());
        assertEquals(XlExamples.file("xlexample.hvm").toString(), c.getSourceFile());
        assertEquals(9, c.getLocationsOrThrow("type").getLine());
        assertEquals(8, c.getLocationsOrThrow("type").getColumn());
        assertEquals(43, c.getLocationsOrThrow("disk[0]").getLine());
    }

    @Test
    void xlexamplePvhlinux() throws Exception {
        LoadedConfig loaded = load("xlexample.pvhlinux");
        DomainConfig c = loaded.config();
        assertEquals(GuestType.GUEST_TYPE_PVH, c.getType());
        assertEquals("example.pvhlinux", c.getName());
        assertEquals("/boot/vmlinuz", c.getKernel());
        assertEquals("root=/dev/xvda1", c.getCmdline());
        assertEquals(512 * 1024, c.getTargetMemkb());
        assertEquals(4, c.getVcpus());
        assertEquals("/dev/zvol/tank/guest-volume", c.getDisks(0).getTarget());
        assertEquals(1, c.getVifsCount());
        assertEquals(List.of(), c.getIgnoredKeysList());
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    void xlexamplePvlinux() throws Exception {
        DomainConfig c = load("xlexample.pvlinux").config();
        assertEquals(GuestType.GUEST_TYPE_PV, c.getType());
        assertEquals("example.pvlinux", c.getName());
        assertEquals("/boot/vmlinuz", c.getKernel());
        assertEquals("root=/dev/xvda1", c.getCmdline());
        assertEquals(128 * 1024, c.getMaxMemkb());
        assertEquals(2, c.getMaxVcpus());
        assertEquals("xvda", c.getDisks(0).getVdev());
        assertEquals(List.of(), c.getIgnoredKeysList());
    }

    @Test
    void xlConfHasNoKeys() throws Exception {
        XlConfig conf = XlConfigParser.parse(Files.readString(XlExamples.file("xl.conf")), "xl.conf");
        assertTrue(conf.isEmpty());
        XlConfigException e = assertThrows(XlConfigException.class, () -> load("xl.conf"));
        assertEquals(XlExamples.file("xl.conf") + ": Domain name must be specified.", e.getMessage());
        assertEquals(0, e.line());
    }

    @Test
    void cpupoolParses() throws Exception {
        XlConfig pool = XlConfigParser.parse(Files.readString(XlExamples.file("cpupool")), "cpupool");
        assertEquals(List.of("name", "sched", "cpus"), pool.keys());
        XlList cpus = (XlList) pool.find("cpus").orElseThrow().value();
        assertEquals(CpuSet.newBuilder().addCpus(2).build(), CpuList.parse(((XlAtom) cpus.items().get(0)).text()));
        assertEquals(CpuSet.newBuilder().addCpus(3).build(), CpuList.parse(((XlAtom) cpus.items().get(1)).text()));
    }

    @Test
    void xmexample1() throws Exception {
        DomainConfig c = load("historical-xm/xmexample1").config();
        assertEquals(GuestType.GUEST_TYPE_PV, c.getType());
        assertEquals("ExampleDomain", c.getName());
        assertEquals("/boot/vmlinuz-2.6.10-xenU", c.getKernel());
        assertEquals(64 * 1024, c.getTargetMemkb());
        assertEquals("root=/dev/hda1 ro 4", c.getCmdline());
        assertEquals(List.of(disk("phy:hda1,hda1,w", "/dev/hda1", "raw", "hda1", 769, true)), c.getDisksList());
        assertEquals(List.of(), c.getIgnoredKeysList());
    }

    @Test
    void xmexampleHvm() throws Exception {
        LoadedConfig loaded = load("historical-xm/xmexample.hvm");
        DomainConfig c = loaded.config();
        assertEquals(GuestType.GUEST_TYPE_HVM, c.getType());
        assertEquals("ExampleHVMDomain", c.getName());
        assertEquals("", c.getKernel());
        assertTrue(loaded.warnings().get(0).contains(":11: warning: you seem to be using \"kernel\" directive"));
        assertEquals(List.of("device_model", "sdl", "opengl", "vnc", "vncpasswd", "stdvga", "serial", "tsc_mode"),
                c.getIgnoredKeysList());
        assertEquals(List.of(disk("file:/var/images/min-el3-i386.img,hda,w", "/var/images/min-el3-i386.img", "raw",
                        "hda", 768, true),
                DiskSpec.newBuilder().setSpec(",hdc:cdrom,r").setFormat("empty").setVdev("hdc").setVirtualDevice(22 << 8)
                        .setCdrom(true).build()), c.getDisksList());
        assertEquals(VifSpec.newBuilder().setSpec("type=ioemu, bridge=xenbr0").setType("ioemu").setBridge("xenbr0").build(),
                c.getVifs(0));
        assertEquals(1 + 8, loaded.warnings().size());
    }

    @Test
    void xmexampleHvmStubdom() throws Exception {
        DomainConfig c = load("historical-xm/xmexample.hvm-stubdom").config();
        assertEquals(GuestType.GUEST_TYPE_HVM, c.getType());
        assertTrue(c.getIgnoredKeysList().containsAll(List.of("device_model", "boot", "sdl", "vnc")));
        DiskSpec cdrom = c.getDisks(1);
        assertEquals("/dev/cdrom", cdrom.getTarget());
        assertTrue(cdrom.getCdrom());
        assertFalse(cdrom.getReadwrite());
        assertEquals("raw", cdrom.getFormat());
    }

    @Test
    void xmexampleNbd() throws Exception {
        DomainConfig c = load("historical-xm/xmexample.nbd").config();
        assertEquals("nbd4", c.getName());
        assertEquals("/boot/initrd-2.6.13-15b-xen", c.getRamdisk());
        assertEquals("root=/dev/hda1 ro 3", c.getCmdline());
        assertEquals(List.of("dhcp", "hostname"), c.getIgnoredKeysList());
        DiskSpec nbd = c.getDisks(0);
        assertEquals("block-nbd", nbd.getScript());
        assertEquals("134.100.233.115 20004", nbd.getTarget());
        assertEquals(769, nbd.getVirtualDevice());
    }

    @Test
    void xmexamplePvGrub() throws Exception {
        DomainConfig c = load("historical-xm/xmexample.pv-grub").config();
        assertEquals("pv-grub.gz", c.getKernel());
        assertEquals("(hd0,0)/boot/grub/menu.lst", c.getCmdline());
        assertEquals("/dev/hda1", c.getDisks(0).getTarget());
    }

    @ParameterizedTest
    @CsvSource({"xmexample2,23,5,vmid_check", "xmexample3,23,5,vmid_check", "xmexample.vti,9,8,os"})
    void pythonExamplesFailWithXlsWarningAndALocation(String file, int line, int column, String near) {
        Path path = XlExamples.file("historical-xm/" + file);
        XlConfigException e = assertThrows(XlConfigException.class, () -> XlConfigLoader.load(path, List.of()));
        assertEquals(path.toString(), e.file());
        assertEquals(line, e.line());
        assertEquals(column, e.column());
        assertTrue(e.getMessage().startsWith(path + ":" + line + ":" + column + ": config parsing error near `"
                + near + "': syntax error, unexpected IDENT"), e.getMessage());
        assertTrue(e.getMessage().endsWith(XlDiagnostics.PYTHON_WARNING), e.getMessage());
    }

    @Test
    void everyFileInTheDirectoryIsCovered() throws IOException {
        try (var files = Files.walk(XlExamples.directory())) {
            List<String> names = files.filter(Files::isRegularFile)
                    .map(p -> XlExamples.directory().relativize(p).toString()).sorted().toList();
            assertEquals(List.of("PROVENANCE.md", "cpupool", "historical-xm/xmexample.hvm",
                    "historical-xm/xmexample.hvm-stubdom", "historical-xm/xmexample.nbd",
                    "historical-xm/xmexample.pv-grub", "historical-xm/xmexample.vti", "historical-xm/xmexample1",
                    "historical-xm/xmexample2", "historical-xm/xmexample3", "xl.conf", "xlexample.hvm",
                    "xlexample.pvhlinux", "xlexample.pvlinux"), names);
        }
    }
}
