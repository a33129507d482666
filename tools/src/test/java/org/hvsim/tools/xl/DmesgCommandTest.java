package org.hvsim.tools.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hvsim.proto.control.ReadConsoleRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DmesgCommandTest {
    private XlHarness xl;

    @BeforeEach
    void start() throws Exception {
        xl = new XlHarness();
    }

    @AfterEach
    void stop() throws Exception {
        xl.close();
    }

    @Test
    void printsTheRingAsItIs() {
        xl.host.consoleRing = "(XEN) Xen version 4.19\n(XEN) no newline at the end\t";

        XlHarness.Result r = xl.run("dmesg");

        assertEquals(0, r.exit());
        assertEquals("(XEN) Xen version 4.19\n(XEN) no newline at the end\t", r.out());
        assertEquals(ReadConsoleRequest.newBuilder().setClear(false).build(), xl.host.requests.get(0));
    }

    @Test
    void clearAsksDom0ToClearAfterReading() {
        xl.host.consoleRing = "(XEN) once\n";

        assertEquals("(XEN) once\n", xl.run("dmesg", "-c").out());
        assertEquals(ReadConsoleRequest.newBuilder().setClear(true).build(), xl.host.requests.get(0));
        assertEquals("", xl.run("dmesg").out());
    }
}
