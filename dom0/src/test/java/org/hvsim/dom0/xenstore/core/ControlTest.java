package org.hvsim.dom0.xenstore.core;

import static org.hvsim.hv.abi.xenstore.XsdSockmsgType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvsim.dom0.xenstore.store.Node;
import org.hvsim.hv.abi.xenstore.XsdError;
import org.junit.jupiter.api.Test;

/** CONTROL check, quota, quota-soft, print, help in C xenstored's formats; unknown commands EINVAL. */
class ControlTest {
    final CoreHarness h = new CoreHarness();
    final CoreHarness.Client dom0 = h.dom0();

    private String control(String... args) {
        byte[] r = dom0.ok(XS_CONTROL, args);
        assertEquals(0, r[r.length - 1], "text replies end with NUL");
        return new String(r, 0, r.length - 1);
    }

    @Test
    void quotaShowsSettingsInCFormat() {
        assertEquals("""
                Quota settings:
                nodes            :     1000 Nodes per domain
                watches          :      128 Watches per domain
                outstanding      :       20 Outstanding requests per domain
                memory           :  2621440 Total Xenstore memory per domain (error level)
                transactions     :       10 Active transactions per domain
                transaction-nodes:     1024 Max. number of accessed nodes per transaction
                node-permissions :        5 Max. number of permissions per node
                path-max         :     2048 Max. length of a node path
                node-size        :     2048 Max. size of a node
                """, control("quota"));
        assertEquals("""
                Quota settings:
                memory           :  2097152 Total Xenstore memory per domain (warning level)
                """, control("quota-soft"));
    }

    @Test
    void quotaSetChangesGlobalValues() {
        assertEquals("OK", control("quota", "set", "watches", "7"));
        assertEquals(7, h.core.quotas().hard(Quota.WATCHES));
        assertEquals("OK", control("quota-soft", "set", "memory", "1000"));
        assertEquals(1000, h.core.quotas().soft(Quota.MEMORY));
        assertEquals(XsdError.EINVAL, dom0.error(XS_CONTROL, "quota", "set", "watches", "0"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_CONTROL, "quota", "set", "bogus", "3"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_CONTROL, "quota-soft", "set", "nodes", "3"));
        assertEquals(XsdError.EINVAL, dom0.error(XS_CONTROL, "quota", "set", "watches"));
    }

    @Test
    void quotaOfADomainShowsUsageAndMax() {
        CoreHarness.Client d5 = h.domU(5);
        dom0.write("/local/domain/5/data", "");
        dom0.setPerms("/local/domain/5/data", "n5");
        d5.write("/local/domain/5/data/x", "");
        d5.watch("/local/domain/5/data", "t");
        String out = control("quota", "5");
        assertTrue(out.startsWith("Domain 5:\n"), out);
        assertTrue(out.contains("nodes            :        2 (max        2)\n"), out);
        assertTrue(out.contains("watches          :        1 (max        1)\n"), out);
        assertEquals(XsdError.ENOENT, dom0.error(XS_CONTROL, "quota", "77"));
        String max = control("quota", "max");
        assertTrue(max.startsWith("Max. seen accounting values:\nnodes            :        2\n"), max);
        d5.ok(XS_RM, "/local/domain/5/data/x");
        assertTrue(control("quota", "max", "-r").contains("nodes            :        1\n"));
    }

    @Test
    void checkRepairsACorruptedTreeAndFixesAccounting() {
        dom0.write("/c/a", "");
        Node c = h.core.store().get("/c");
        h.core.store().put("/c", c.withChild("ghost").withChild("a"));
        h.core.store().put("/orphan/x", Node.empty(c.perms(), 1));
        assertEquals("OK", control("check"));
        assertEquals(List.of("a"), dom0.directory("/c"));
        assertEquals(XsdError.ENOENT, dom0.error(XS_READ, "/orphan/x"));
        h.assertConsistent();
        assertEquals(XsdError.EINVAL, dom0.error(XS_CONTROL, "check", "extra"));
    }

    @Test
    void helpListsTheSupportedCommands() {
        assertEquals("""
                check          \s
                print           <string>
                quota           [set <name> <val>|<domid>|max [-r]]
                quota-soft      [set <name> <val>]
                help           \s
                """, control("help"));
    }

    @Test
    void printAndUnknownCommands() {
        assertEquals("OK", control("print", "hello"));
        for (String c : List.of("log", "logfile", "memreport", "live-update", "nonsense")) {
            assertEquals(XsdError.EINVAL, dom0.error(XS_CONTROL, c), c);
        }
        assertEquals(XsdError.EINVAL, dom0.error(XS_CONTROL, new byte[0]));
        assertEquals(XsdError.EINVAL, dom0.error(XS_CONTROL, new byte[] {'h', 'e', 'l', 'p'}));
    }
}
