package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** xl workload-result: the JSON a domain's workload left, or dom0's reason why there is none. */
class WorkloadResultCommandTest {
    private final XlHarness xl;

    WorkloadResultCommandTest() throws IOException {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(3).setName("bench").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(4).setName("quiet").build());
        xl.host.workloadResults.put(3, "{\"app\":\"blkbench\",\"iops\":1234.5}");
    }

    @AfterEach
    void close() throws InterruptedException {
        xl.close();
    }

    @Test
    void printsTheJsonOnOneLineByNameOrId() {
        XlHarness.Result byName = xl.run("workload-result", "bench");
        assertEquals(0, byName.exit(), byName.err());
        assertEquals("{\"app\":\"blkbench\",\"iops\":1234.5}\n", byName.out());
        assertEquals(byName.out(), xl.run("workload-result", "3").out());
    }

    @Test
    void aDomainWithoutAResultOrAnUnknownOneIsAMessageAndExit1() {
        XlHarness.Result none = xl.run("workload-result", "quiet");
        assertEquals(1, none.exit());
        assertEquals("Domain 4 (quiet) has left no workload result\n", none.err());
        XlHarness.Result unknown = xl.run("workload-result", "nope");
        assertEquals(1, unknown.exit());
        assertEquals("nope is an invalid domain identifier (rc=-6)\n", unknown.err());
    }
}
