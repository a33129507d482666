package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class XlConfigPropertyTest {

    /** A number token and the value xl reads from it. */
    record NumberToken(String text, long value) {
    }

    @Provide
    Arbitrary<NumberToken> numbers() {
        return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.integers().between(0, 2))
                .as((value, base) -> switch (base) {
                    case 0 -> new NumberToken(Long.toString(value), value);
                    case 1 -> new NumberToken("0" + Long.toOctalString(value), value);
                    default -> new NumberToken("0x" + Long.toHexString(value), value);
                });
    }

    private Arbitrary<Object> values(int depth) {
        Arbitrary<String> special = Arbitraries.strings()
                .withChars("'\"\\\n\r\t\u0007\b\f\u000b #;[],=+x7\u00e9\u20ac").ofMaxLength(12);
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(12)
                .filter(s -> s.chars().noneMatch(c -> c == 0 || Character.isSurrogate((char) c)));
        Arbitrary<Object> text = Arbitraries.oneOf(special, any, Arbitraries.just("\uD83D\uDE00")).map(s -> s);
        Arbitrary<Object> number = numbers().map(NumberToken::text);
        if (depth == 0) {
            return Arbitraries.oneOf(text, number);
        }
        Arbitrary<Object> list = values(depth - 1).list().ofMaxSize(4).map(l -> l);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, text), net.jqwik.api.Tuple.of(2, number), net.jqwik.api.Tuple.of(2, list));
    }

    @Provide
    Arbitrary<XlConfigModel> models() {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("name", "disk", "vif.default.bridge", "a_1"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(1)
                        .flatMap(first -> Arbitraries.strings().withChars("._0123456789abcxyz").ofMaxLength(6)
                                .map(rest -> first + rest)));
        Arbitrary<XlConfigModel.Statement> statement = Combinators.combine(key,
                Arbitraries.of(XlOperation.values()), values(3)).as(XlConfigModel.Statement::new);
        return statement.list().ofMaxSize(8).map(XlConfigPropertyTest::consistentAppends);
    }

    /** Turns each += whose value has another shape than the key's current value into =, as xl would refuse it. */
    private static XlConfigModel consistentAppends(List<XlConfigModel.Statement> statements) {
        Map<String, Object> current = new HashMap<>();
        List<XlConfigModel.Statement> fixed = new ArrayList<>();
        for (XlConfigModel.Statement s : statements) {
            Object previous = current.get(s.key());
            boolean mismatch = previous != null && (previous instanceof List) != (s.value() instanceof List);
            XlConfigModel.Statement kept = mismatch ? new XlConfigModel.Statement(s.key(), XlOperation.ASSIGN, s.value()) : s;
            fixed.add(kept);
            current.put(s.key(), kept.value());
        }
        return new XlConfigModel(fixed);
    }

    @Property
    void renderedModelsParseBackToTheModel(@ForAll("models") XlConfigModel model, @ForAll long seed) throws Exception {
        String text = model.render(seed);
        XlConfig parsed = XlConfigParser.parse(text, "gen.cfg");
        assertEquals(model.statements(), XlConfigModel.statements(parsed), text);
        assertEquals(model.expectedValues(), XlConfigModel.values(parsed), text);
    }

    @Property
    void numberTokensReadAsTheirValue(@ForAll("numbers") NumberToken number) throws Exception {
        XlConfig parsed = XlConfigParser.parse("n = " + number.text(), "gen.cfg");
        String token = ((XlAtom) parsed.find("n").orElseThrow().value()).text();
        assertEquals(number.text(), token);
        assertEquals(number.value(), XlNumbers.strtol(token).value());
    }

    @Provide
    Arbitrary<String> inputs() {
        Arbitrary<String> grammarSoup = Arbitraries.strings()
                .withChars("abxyz019 \t\n#'\"\\[],;=+-.():%\r\u00e9")
                .ofMaxLength(80);
        Arbitrary<String> mutated = Combinators.combine(models(), Arbitraries.longs(),
                Arbitraries.integers().between(0, 1000), Arbitraries.strings().ofMaxLength(3))
                .as((model, seed, at, insert) -> {
                    String text = model.render(seed);
                    int cut = text.isEmpty() ? 0 : at % (text.length() + 1);
                    int drop = Math.min(text.length() - cut, at % 4);
                    return text.substring(0, cut) + insert + text.substring(cut + drop);
                });
        return Arbitraries.oneOf(grammarSoup, mutated, Arbitraries.strings().ofMaxLength(60));
    }

    @Property
    void anyInputParsesOrFailsWithALocationInsideIt(@ForAll("inputs") String text) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                XlConfigParser.parse(text, "in.cfg");
            } catch (XlConfigException e) {
                assertInside(text, e);
            }
        });
    }

    @Property
    void anyInputLoadsOrFailsWithALocation(@ForAll("inputs") String text) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                DomainConfigJson.object(XlConfigLoader.parse(text, "in.cfg", List.of()).config(), null);
            } catch (XlConfigException e) {
                if (e.line() != 0) {
                    assertInside(text, e);
                }
            }
        });
    }

    static void assertInside(String text, XlConfigException e) {
        String[] lines = text.split("\n", -1);
        assertEquals("in.cfg", e.file(), e.getMessage());
        assertTrue(e.line() >= 1 && e.line() <= lines.length, e.getMessage());
        String line = lines[e.line() - 1];
        assertTrue(e.column() >= 1 && e.column() <= line.codePointCount(0, line.length()) + 1, e.getMessage());
        assertTrue(e.getMessage().startsWith("in.cfg:" + e.line() + ":" + e.column() + ": "), e.getMessage());
    }
}
