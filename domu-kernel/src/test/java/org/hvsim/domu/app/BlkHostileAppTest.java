package org.hvsim.domu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.hvsim.domu.cmdline.CommandLine;
import org.hvsim.domu.cmdline.CommandLineException;
import org.hvsim.domu.virtioblk.HostileAnswer;
import org.hvsim.domu.virtioblk.HostileCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code app=blkhostile}: its parameters and its result's JSON (the runs are in BlkHostileOnHostTest). */
class BlkHostileAppTest {
    private static BlkHostileApp make(String cmdline) {
        return (BlkHostileApp) Apps.find("blkhostile").orElseThrow().factory().apply(CommandLine.parse(cmdline));
    }

    @ParameterizedTest
    @EnumSource(HostileCase.class)
    void everyCaseIsNamedOnTheCommandLine(HostileCase c) {
        BlkHostileApp app = make("app=blkhostile case=" + c.text() + " dev=xvdb");
        assertEquals(c, app.hostileCase());
        assertEquals("xvdb", app.device());
    }

    @Test
    void itIsRegisteredWithItsParameters() {
        assertEquals(Set.of("case", "dev"), Apps.find("blkhostile").orElseThrow().parameters());
        assertEquals("xvda", make("app=blkhostile case=loop").device());
    }

    @Test
    void aMissingOrUnknownCaseIsACommandLineErrorListingTheCases() {
        String list = "loop, long-chain, bad-ref, outside-grant, avail-jump, writable-header, ro-data, past-end, ro-write";
        assertEquals("case= is missing: one of " + list,
                assertThrows(CommandLineException.class, () -> make("app=blkhostile")).getMessage());
        assertEquals("case=Loop is not a case: one of " + list,
                assertThrows(CommandLineException.class, () -> make("app=blkhostile case=Loop")).getMessage());
    }

    @Property
    void anyCaseTextNamesACaseOrIsRefused(@ForAll @StringLength(min = 1, max = 20) @AlphaChars @Chars({'-', '_'})
            String text) {
        try {
            assertEquals(text, make("app=blkhostile case=" + text).hostileCase().text());
        } catch (CommandLineException e) {
            assertTrue(HostileCase.parse(text).isEmpty(), text);
            assertTrue(e.getMessage().startsWith("case=" + text + " is not a case: one of loop, "), e.getMessage());
        }
    }

    @Test
    void theResultIsOneJsonObjectWithTheDetailEscaped() {
        BlkHostileApp app = make("app=blkhostile case=avail-jump");
        assertEquals("{\"app\":\"blkhostile\",\"case\":\"avail-jump\",\"dev\":\"xvda\",\"answer\":\"DEVICE_NEEDS_RESET\","
                + "\"expected\":\"DEVICE_NEEDS_RESET\",\"used_len\":-1,\"detail\":\"\\\"idx\\\\ 1\\u0007\\\"\","
                + "\"after\":\"skipped\"}", app.json("xvda", new HostileAnswer(HostileAnswer.Kind.DEVICE_NEEDS_RESET,
                -1, "\"idx\\ 1\u0007\""), "skipped"));
    }
}
