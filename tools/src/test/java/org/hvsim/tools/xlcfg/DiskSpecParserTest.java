package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hvsim.proto.control.DiskSpec;
import org.junit.jupiter.api.Test;

class DiskSpecParserTest {

    private static DiskSpec parse(String spec) throws XlSpecException {
        return DiskSpecParser.parse(spec).toBuilder().clearSpec().build();
    }

    private static String error(String spec) {
        return assertThrows(XlSpecException.class, () -> DiskSpecParser.parse(spec)).getMessage();
    }

    @Test
    void aNullTargetIsNotAPathUnderDev() throws Exception {
        DiskSpec d = parse("format=raw, vdev=xvda, access=rw, target=null:1G");
        assertEquals("null:1G", d.getTarget());
        assertEquals(51712, d.getVirtualDevice());
        assertEquals("/dev/null1G", parse("null1G,,xvda").getTarget(), "only the null: form is kept as it is");
    }

    @Test
    void theManPagesEquivalentDisks() throws Exception {
        DiskSpec expected = DiskSpec.newBuilder().setTarget("/dev/vg/guest-volume").setFormat("raw").setVdev("hda")
                .setVirtualDevice(768).setReadwrite(true).build();
        assertEquals(expected, parse("/dev/vg/guest-volume,,hda"));
        assertEquals(expected, parse("/dev/vg/guest-volume,raw,hda,rw"));
        assertEquals(expected, parse("format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume"));
        assertEquals(expected, parse("raw:/dev/vg/guest-volume,hda,w"));
    }

    @Test
    void theManPagesEquivalentCdroms() throws Exception {
        DiskSpec expected = DiskSpec.newBuilder().setTarget("/root/image.iso").setFormat("raw").setVdev("hdc")
                .setVirtualDevice(22 << 8).setCdrom(true).build();
        assertEquals(expected, parse("/root/image.iso,,hdc,cdrom"));
        assertEquals(expected, parse("/root/image.iso,,hdc,,cdrom"));
        assertEquals(expected, parse("/root/image.iso,raw,hdc,devtype=cdrom"));
        assertEquals(expected, parse("format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso"));
        assertEquals(expected, parse("raw:/root/image.iso,hdc:cdrom,ro"));
    }

    @Test
    void anEmptyCdromHasFormatEmpty() throws Exception {
        DiskSpec d = parse(",hdc:cdrom,r");
        assertEquals("", d.getTarget());
        assertEquals("empty", d.getFormat());
        assertEquals("hdc", d.getVdev());
        assertTrue(d.getCdrom());
        assertFalse(d.getReadwrite());
        assertEquals("empty", parse("vdev=xvdc,cdrom").getFormat());
    }

    @Test
    void theSpecIsKeptAsWritten() throws Exception {
        assertEquals(" /x , ,xvda", DiskSpecParser.parse(" /x , ,xvda").getSpec());
    }

    @Test
    void targetSwallowsTheRestOfTheSpec() throws Exception {
        assertEquals("/images/a,b c.img", parse("vdev=xvda, target=/images/a,b c.img,").getTarget());
        assertEquals("/x", parse(",,xvda,target=/x").getTarget());
    }

    @Test
    void deprecatedPrefixesAreUnderstood() throws Exception {
        assertEquals("/dev/hda1", parse("phy:hda1,hda1,w").getTarget());
        assertEquals("/var/x.img", parse("file:/var/x.img,hda,w").getTarget());
        DiskSpec tap = parse("tap:aio:/x.img,xvda,w");
        assertEquals("/x.img", tap.getTarget());
        assertEquals("xvda", tap.getVdev());
        assertEquals("qcow2", parse("qcow2:/x.qcow2,xvda").getFormat());
        DiskSpec nbd = parse("nbd:134.100.233.115 20004,hda1,w");
        assertEquals("block-nbd", nbd.getScript());
        assertEquals("134.100.233.115 20004", nbd.getTarget());
        assertEquals("hda1", nbd.getVdev());
        assertTrue(nbd.getReadwrite());
    }

    @Test
    void relativeTargetsGetDevUnlessAScriptReadsThem() throws Exception {
        assertEquals("/dev/vg/disk", parse("vg/disk,raw,xvda").getTarget());
        assertEquals("host:1", parse("script=block-iscsi,vdev=xvda,target=host:1").getTarget());
    }

    @Test
    void namedParametersAndFlags() throws Exception {
        DiskSpec d = parse("/x,qcow2,xvdb,ro,backend=driver,backendtype=qdisk,script=block-foo,specification=virtio,"
                + "grant_usage=0,direct-io-safe,no-discard,untrusted");
        assertEquals("qcow2", d.getFormat());
        assertEquals(51728, d.getVirtualDevice());
        assertFalse(d.getReadwrite());
        assertEquals("driver", d.getBackend());
        assertEquals("qdisk", d.getBackendType());
        assertEquals("block-foo", d.getScript());
        assertEquals("virtio", d.getSpecification());
        assertTrue(d.hasGrantUsage() && !d.getGrantUsage());
        assertTrue(d.getDirectIoSafe());
        assertTrue(d.hasDiscard() && !d.getDiscard());
        assertTrue(d.hasTrusted() && !d.getTrusted());
        DiskSpec plain = parse("/x,,xvda,discard,trusted,grant_usage=1");
        assertTrue(plain.getDiscard() && plain.getTrusted() && plain.getGrantUsage());
        assertFalse(parse("/x,,xvda").hasDiscard());
    }

    @Test
    void coloParametersAreAcceptedWithAWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        DiskSpecParser.parse("/x,,xvda,colo,colo-host=h,colo-port=9", warnings::add);
        assertEquals(List.of("disk flag `colo' (COLO) is not modelled by hvsim; ignored",
                "disk parameter `colo-host' (COLO) is not modelled by hvsim; ignored",
                "disk parameter `colo-port' (COLO) is not modelled by hvsim; ignored"), warnings);
    }

    @Test
    void veryLongSpecsParse() throws XlSpecException {
        // 150,000 flags: a quadratic scan (once a bug here) would not finish within the suite's timeout.
        String spec = "/x,,xvda," + "discard,".repeat(150_000) + "trusted";
        DiskSpec d = parse(spec);
        assertTrue(d.getDiscard() && d.getTrusted());
    }

    @Test
    void errorsUseXlsWording() {
        assertEquals("config parsing error in disk specification: too many positional parameters: near `extra'"
                + " in `/x,raw,xvda,rw,extra'", error("/x,raw,xvda,rw,extra"));
        assertEquals("config parsing error in disk specification: no vdev specified in `/x'", error("/x"));
        assertEquals("config parsing error in disk specification: no target specified (and device not removable)"
                + " in `vdev=xvda'", error("vdev=xvda"));
        assertEquals("config parsing error in disk specification: unknown value for format: near `foo' in `/x,foo,xvda'",
                error("/x,foo,xvda"));
        assertEquals("config parsing error in disk specification: unknown value for access: near `rx'"
                + " in `/x,,xvda,rx'", error("/x,,xvda,rx"));
        assertEquals("config parsing error in disk specification: vdev respecified: near `xvdb'"
                + " in `vdev=xvda,vdev=xvdb,target=/x'", error("vdev=xvda,vdev=xvdb,target=/x"));
        assertEquals("config parsing error in disk specification: format respecified: near `qcow2'"
                + " in `/x,raw,xvda,format=qcow2'", error("/x,raw,xvda,format=qcow2"));
        assertEquals("config parsing error in disk specification: unknown value for access: near `xvda'"
                + " in `format=raw,/x,qcow2,xvda'", error("format=raw,/x,qcow2,xvda"));
        assertEquals("config parsing error in disk specification: target respecified: near `/y'"
                + " in `/x,,xvda,target=/y'", error("/x,,xvda,target=/y"));
        assertEquals("config parsing error in disk specification: unknown parameter: near `bogus=1'"
                + " in `/x,,xvda,bogus=1'", error("/x,,xvda,bogus=1"));
        assertEquals("config parsing error in disk specification: unknown deprecated disk prefix: near `foo:'"
                + " in `foo:/x,xvda'", error("foo:/x,xvda"));
        assertEquals("config parsing error in disk specification: bad disk syntax: near `=y,,xvda' in `/x=y,,xvda'",
                error("/x=y,,xvda"));
        assertEquals("config parsing error in disk specification: unknown value for type: near `devtype=floppy'"
                + " in `/x,,xvda,devtype=floppy'", error("/x,,xvda,devtype=floppy"));
        assertEquals("config parsing error in disk specification: unknown deprecated type: near `tape'"
                + " in `/x,,hdc:tape'", error("/x,,hdc:tape"));
        assertEquals("config parsing error in disk specification: unknown value for specification: near `scsi'"
                + " in `/x,,xvda,specification=scsi'", error("/x,,xvda,specification=scsi"));
        assertEquals("config parsing error in disk specification: unknown value for backendtype: near `nbd'"
                + " in `/x,,xvda,backendtype=nbd'", error("/x,,xvda,backendtype=nbd"));
        assertEquals("config parsing error in disk specification: invalid or unsupported virtual disk identifier:"
                + " near `xvda0' in `/x,,xvda0'", error("/x,,xvda0"));
        assertEquals("config parsing error in disk specification: unknown value for grant_usage: near"
                + " `grant_usage=2' in `/x,,xvda,grant_usage=2'", error("/x,,xvda,grant_usage=2"));
    }
}
