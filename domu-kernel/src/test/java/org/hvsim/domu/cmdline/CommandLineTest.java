package org.hvsim.domu.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void appAndParameters() {
        CommandLine cl = CommandLine.parse("app=cpuburn interval_ms=200 note=\"two words\"");
        assertEquals("cpuburn", cl.app());
        assertEquals(Map.of("interval_ms", "200", "note", "two words"), cl.params());
        assertEquals(List.of("interval_ms", "note"), List.copyOf(cl.params().keySet()));
    }

    @Test
    void noAppMeansIdle() {
        assertEquals(new CommandLine("idle", Map.of()), CommandLine.parse(""));
        assertEquals(new CommandLine("idle", Map.of("x", "1")), CommandLine.parse(" \t x=1 \n"));
    }

    @Test
    void theLastValueOfARepeatedKeyWins() {
        CommandLine cl = CommandLine.parse("app=hello a=1 app=echo a=2");
        assertEquals("echo", cl.app());
        assertEquals(Map.of("a", "2"), cl.params());
    }

    @Test
    void emptyValuesAreAllowedButNotAnEmptyApp() {
        assertEquals(Map.of("a", "", "b", ""), CommandLine.parse("a= b=\"\"").params());
        assertEquals("app= names no app", message("app="));
    }

    @Test
    void errorsNameTheColumn() {
        assertEquals("column 6: expected '=' after key hello", message("hello"));
        assertEquals("column 7: expected a key ([A-Za-z0-9_.-]), found '='", message("app=x =y"));
        assertEquals("column 9: unterminated quote", message("app=x a=\"b c"));
        assertEquals("column 10: a quote may only open a value", message("app=x a=b\"c\""));
        assertEquals("column 12: expected a blank after the value of a", message("app=x a=\"b\"c"));
        assertEquals("column 1: expected a key ([A-Za-z0-9_.-]), found 'é'", message("é=1"));
    }

    private static String message(String text) {
        return assertThrows(CommandLineException.class, () -> CommandLine.parse(text)).getMessage();
    }

    @Test
    void numericParametersAreCheckedAgainstTheirRange() {
        CommandLine cl = CommandLine.parse("n=42 big=99999999999999999999 neg=-3 word=ten");
        assertEquals(42, cl.longParam("n", 7, 0, 100));
        assertEquals(7, cl.longParam("absent", 7, 0, 100));
        assertEquals("n=42 is outside 0..10",
                assertThrows(CommandLineException.class, () -> cl.longParam("n", 0, 0, 10)).getMessage());
        assertEquals("neg=-3 is outside 0..10",
                assertThrows(CommandLineException.class, () -> cl.longParam("neg", 0, 0, 10)).getMessage());
        assertEquals("word=ten is not a decimal number",
                assertThrows(CommandLineException.class, () -> cl.longParam("word", 0, 0, 10)).getMessage());
        assertThrows(CommandLineException.class, () -> cl.longParam("big", 0, 0, Long.MAX_VALUE));
    }

    @Test
    void unknownParametersAreListedInOrder() {
        CommandLine cl = CommandLine.parse("app=flood zeta=1 lines=3 alpha=2");
        assertEquals(List.of("zeta", "alpha"), List.copyOf(cl.unknownParams(Set.of("lines"))));
    }

    @Test
    void renderQuotesWhatNeedsIt() {
        CommandLine cl = new CommandLine("hello", Map.of("a", "x y", "b", ""));
        assertEquals(cl, CommandLine.parse(cl.render()));
        assertEquals("app=echo", new CommandLine("echo", Map.of()).render());
    }
}
