package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.hvsim.proto.control.DomainInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DomidDomnameCommandTest {
    private XlHarness xl;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(0).setName("Domain-0").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(7).setName("web").build());
        xl.host.domains.add(DomainInfo.newBuilder().setDomid(9).setName("0").build());
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    @Test
    void domidPrintsTheIdOfANameAndReadsDigitsAsAName() {
        assertEquals("7\n", xl.run("domid", "web").out());
        assertEquals("9\n", xl.run("domid", "0").out());
    }

    @Test
    void domidOfAnUnknownName() {
        XlHarness.Result r = xl.run("domid", "nope");

        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("Can't get domid of domain name 'nope', maybe this domain does not exist.\n", r.err());
    }

    @Test
    void domnamePrintsTheNameOfAnId() {
        XlHarness.Result r = xl.run("domname", "7");
        assertEquals(0, r.exit());
        assertEquals("web\n", r.out());
        assertEquals("Domain-0\n", xl.run("domname", "0").out());
        assertEquals("web\n", xl.run("domname", " 7abc").out());
    }

    @Test
    void domnameOfSomethingThatIsNotAnIdOrOfAnUnknownId() {
        XlHarness.Result notAnId = xl.run("domname", "web");
        assertEquals(1, notAnId.exit());
        assertEquals("Invalid domain id.\n\n", notAnId.err());

        XlHarness.Result unknown = xl.run("domname", "12");
        assertEquals(1, unknown.exit());
        assertEquals("Can't get domain name of domain id '12', maybe this domain does not exist.\n", unknown.err());

        assertEquals("Can't get domain name of domain id '4294967295', maybe this domain does not exist.\n",
                xl.run("domname", "--", "-1").err());
    }

    @Test
    void strtolReadsAsCDoes() {
        assertEquals(12L, DomnameCommand.strtol("12"));
        assertEquals(-3L, DomnameCommand.strtol("\t -3x"));
        assertEquals(0L, DomnameCommand.strtol("0"));
        assertEquals(Long.MAX_VALUE, DomnameCommand.strtol("99999999999999999999"));
        assertEquals(Long.MIN_VALUE, DomnameCommand.strtol("-99999999999999999999"));
        assertNull(DomnameCommand.strtol("x1"));
        assertNull(DomnameCommand.strtol("-"));
        assertNull(DomnameCommand.strtol(""));
    }
}
