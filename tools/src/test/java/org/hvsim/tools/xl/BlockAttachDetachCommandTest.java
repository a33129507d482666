package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.hvsim.proto.control.AttachBlockDeviceRequest;
import org.hvsim.proto.control.BlockDevice;
import org.hvsim.proto.control.DetachBlockDeviceRequest;
import org.hvsim.proto.control.DiskSpec;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** xl block-attach and block-detach: what reaches dom0, and xl_block.c's messages. */
class BlockAttachDetachCommandTest {
    private final XlHarness xl;

    BlockAttachDetachCommandTest() throws IOException {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(3).setName("web").build());
        xl.host.disks.put(3, List.of(BlockDevice.newBuilder().setDevid(51712).setVdev("xvda").build()));
    }

    @AfterEach
    void close() throws InterruptedException {
        xl.close();
    }

    @Test
    void theSpecComponentsAreOneDiskSpecAsInXlCfg() {
        XlHarness.Result r = xl.run("block-attach", "web", "format=raw", "vdev=xvdb", "access=ro", "target=null:1G");
        assertEquals(0, r.exit(), r.err());
        AttachBlockDeviceRequest req = (AttachBlockDeviceRequest) xl.host.requests.getFirst();
        assertEquals("3", req.getDomain());
        DiskSpec d = req.getDisk();
        assertEquals("xvdb", d.getVdev());
        assertEquals(51728, d.getVirtualDevice());
        assertEquals("null:1G", d.getTarget());
        assertEquals(false, d.getReadwrite());
        assertEquals(0, xl.run("block-attach", "web", "/srv/disk.img,raw,xvdc,rw").exit());
        assertEquals("/srv/disk.img", ((AttachBlockDeviceRequest) xl.host.requests.get(1)).getDisk().getTarget());
    }

    @Test
    void aBadSpecIsTheParsersMessageAndAnUnknownDomainXlsAndNothingReachesDom0() {
        XlHarness.Result bad = xl.run("block-attach", "web", "target=/x.img");
        assertEquals(1, bad.exit());
        assertEquals(List.of(), xl.host.requests);
        assertEquals(true, bad.err().startsWith("config parsing error in disk specification: "), bad.err());
        XlHarness.Result unknown = xl.run("block-attach", "nope", "vdev=xvdb,target=/x.img");
        assertEquals(1, unknown.exit());
        assertEquals("nope is an invalid domain identifier\n", unknown.err());
    }

    @Test
    void detachByVdevOrNumberAndForce() {
        assertEquals(0, xl.run("block-detach", "web", "xvda").exit());
        assertEquals(0, xl.run("block-detach", "-f", "web", "51712").exit());
        assertEquals(List.of(DetachBlockDeviceRequest.newBuilder().setDomain("3").setDevice("xvda").build(),
                DetachBlockDeviceRequest.newBuilder().setDomain("3").setDevice("51712").setForce(true).build()),
                xl.host.requests);
        XlHarness.Result none = xl.run("block-detach", "web", "xvdq");
        assertEquals(1, none.exit());
        assertEquals("Error: Device xvdq not connected.\n", none.err());
    }
}
