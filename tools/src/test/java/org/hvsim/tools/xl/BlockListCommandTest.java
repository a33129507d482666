package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.hvsim.proto.control.BlockDevice;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** xl block-list in xl_block.c's format and with its leniency about domains. */
class BlockListCommandTest {
    private static final String HEADER = "Vdev  BE  handle state evt-ch ring-ref BE-path                       \n";
    private final XlHarness xl;

    BlockListCommandTest() throws IOException {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(3).setName("web").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(4).setName("db").build());
        xl.host.disks.put(3, List.of(
                BlockDevice.newBuilder().setDevid(51712).setVdev("xvda").setBackendId(0).setFrontendId(3).setState(4)
                        .setEvtchn(9).setRingRef(8).setBackendPath("/local/domain/0/backend/vbd/3/51712").build(),
                BlockDevice.newBuilder().setDevid(51728).setVdev("xvdb").setBackendId(0).setFrontendId(3).setState(1)
                        .setEvtchn(-1).setRingRef(-1).setBackendPath("/local/domain/0/backend/vbd/3/51728").build()));
    }

    @AfterEach
    void close() throws InterruptedException {
        xl.close();
    }

    @Test
    void eachDiskOnALineInLibxlsColumns() {
        XlHarness.Result r = xl.run("block-list", "web", "db");
        assertEquals(0, r.exit(), r.err());
        assertEquals(HEADER
                + "51712 0   3      4     9      8        /local/domain/0/backend/vbd/3/51712\n"
                + "51728 0   3      1     -1     -1       /local/domain/0/backend/vbd/3/51728\n", r.out());
    }

    @Test
    void anUnknownNameIsReportedAndTheRestListedAndAnUnknownIdHasNoDisks() {
        XlHarness.Result r = xl.run("block-list", "nope", "99", "web");
        assertEquals(0, r.exit(), "xl's main_blocklist returns 0");
        assertEquals("nope is an invalid domain identifier\n", r.err());
        assertEquals(3, r.out().lines().count(), r.out());
    }
}
