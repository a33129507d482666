package org.hvsim.domu.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.From;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The command-line parser against its grammar: what is rendered parses back; nothing else escapes. */
class CommandLinePropertyTest {

    /** One parameter as a user might write it: a key, a value, and whether to quote it. */
    record Token(String key, String value, boolean quote) {
        String text() {
            return key + "=" + (quote || value.isEmpty() || value.contains(" ") ? "\"" + value + "\"" : value);
        }
    }

    @Provide
    Arbitrary<Token> tokens() {
        Arbitrary<String> keys = Arbitraries.strings().withChars("apXYZ019_.-").ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> values = Arbitraries.strings().withChars("abc=019,/:'é ").ofMaxLength(10);
        return Combinators.combine(keys, values, Arbitraries.of(true, false)).as(Token::new);
    }

    @Provide
    Arbitrary<String> blanks() {
        return Arbitraries.strings().withChars(" \t\n").ofMinLength(1).ofMaxLength(3);
    }

    @Property
    void aRenderedCommandLineParsesToItsTokens(@ForAll @Size(max = 12) List<@From("tokens") Token> tokens,
            @ForAll("blanks") String sep, @ForAll("blanks") String lead) {
        StringBuilder text = new StringBuilder(lead);
        Map<String, String> expected = new LinkedHashMap<>();
        for (Token t : tokens) {
            text.append(t.text()).append(sep);
            expected.put(t.key(), t.value());
        }
        String app = expected.remove(CommandLine.APP_KEY);
        if (app != null && app.isEmpty()) {
            return;
        }
        CommandLine cl = CommandLine.parse(text.toString());
        assertEquals(app == null ? CommandLine.DEFAULT_APP : app, cl.app());
        assertEquals(expected, cl.params());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(cl.params().keySet()));
    }

    @Property
    void renderAndParseAreInverses(@ForAll @Size(max = 12) List<@From("tokens") Token> tokens) {
        Map<String, String> params = new LinkedHashMap<>();
        tokens.forEach(t -> params.put(t.key(), t.value()));
        params.remove(CommandLine.APP_KEY);
        CommandLine cl = new CommandLine("app-" + params.size(), params);
        assertEquals(cl, CommandLine.parse(cl.render()));
    }

    @Property
    void anyTextParsesOrFailsWithACommandLineException(@ForAll @StringLength(max = 64) String text) {
        try {
            CommandLine cl = CommandLine.parse(text);
            assertEquals(cl, CommandLine.parse(cl.render()));
        } catch (CommandLineException expected) {
            // a clear error for the guest's console, nothing else
        }
    }

    @Property
    void textFromTheGrammarsAlphabetParsesOrFailsCleanly(
            @ForAll("grammarish") String text) {
        try {
            CommandLine cl = CommandLine.parse(text);
            assertEquals(cl, CommandLine.parse(cl.render()));
        } catch (CommandLineException expected) {
            // a clear error for the guest's console, nothing else
        }
    }

    @Provide
    Arbitrary<String> grammarish() {
        return Arbitraries.strings().withChars("ap=\" \tx1").ofMaxLength(24);
    }
}
