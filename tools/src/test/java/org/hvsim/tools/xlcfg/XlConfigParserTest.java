package org.hvsim.tools.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class XlConfigParserTest {

    private static XlConfig parse(String text) throws XlConfigException {
        return XlConfigParser.parse(text, "t.cfg");
    }

    private static String text(XlConfig config, String key) {
        return ((XlAtom) config.find(key).orElseThrow().value()).text();
    }

    private static XlConfigException error(String text) {
        return assertThrows(XlConfigException.class, () -> parse(text));
    }

    @Test
    void statementsAreSeparatedByNewlinesOrSemicolons() throws Exception {
        XlConfig c = parse("a = 1; b = 'two'\nc = \"three\";;\n\n d=4");
        assertEquals(List.of("a", "b", "c", "d"), c.keys());
        assertEquals("1", text(c, "a"));
        assertEquals("two", text(c, "b"));
        assertEquals("three", text(c, "c"));
        assertEquals("4", text(c, "d"));
    }

    @Test
    void commentsRunToTheEndOfTheLineAndMayEndTheFile() throws Exception {
        XlConfig c = parse("# header\na = 1 # trailing\n#b = 2\n# last line without newline");
        assertEquals(List.of("a"), c.keys());
        assertTrue(parse("# only a comment").isEmpty());
        assertTrue(parse("").isEmpty());
    }

    @Test
    void keysMayContainDotsDigitsAndUnderscores() throws Exception {
        XlConfig c = parse("vif.default.bridge = 'xenbr0'\nmax_grant_frames2 = 3");
        assertEquals("xenbr0", text(c, "vif.default.bridge"));
        assertEquals("3", text(c, "max_grant_frames2"));
    }

    @Test
    void numberTokensAreKeptAsWritten() throws Exception {
        XlConfig c = parse("a = 0x1f\nb = 017\nc = 12");
        assertEquals("0x1f", text(c, "a"));
        assertEquals("017", text(c, "b"));
        assertEquals("12", text(c, "c"));
    }

    @Test
    void listsNestSpanLinesMixShapesAndAllowATrailingComma() throws Exception {
        XlConfig c = parse("l = [\n  'a',\n  [ 1, [], ],\n\n  \"b\" ,\n]\ne = []");
        XlList l = (XlList) c.find("l").orElseThrow().value();
        assertEquals(3, l.items().size());
        assertEquals("a", ((XlAtom) l.items().get(0)).text());
        XlList inner = (XlList) l.items().get(1);
        assertEquals("1", ((XlAtom) inner.items().get(0)).text());
        assertEquals(List.of(), ((XlList) inner.items().get(1)).items());
        assertEquals("b", ((XlAtom) l.items().get(2)).text());
        assertEquals(List.of(), ((XlList) c.find("e").orElseThrow().value()).items());
    }

    @Test
    void everySettingAndValueKnowsItsLineAndColumn() throws Exception {
        XlConfig c = parse("\n  name = 'x'\nl = [ 'a',\n      \"b\" ]");
        XlSetting name = c.find("name").orElseThrow();
        assertEquals(new XlLocation("t.cfg", 2, 3), name.keyLocation());
        assertEquals(new XlLocation("t.cfg", 2, 10), name.value().location());
        XlList l = (XlList) c.find("l").orElseThrow().value();
        assertEquals(new XlLocation("t.cfg", 3, 5), l.location());
        assertEquals(new XlLocation("t.cfg", 3, 7), l.items().get(0).location());
        assertEquals(new XlLocation("t.cfg", 4, 7), l.items().get(1).location());
    }

    @Test
    void columnsCountCodePoints() throws Exception {
        XlConfig c = parse("a = '\uD83D\uDE00é'; b = 1");
        assertEquals(new XlLocation("t.cfg", 1, 15), c.find("b").orElseThrow().value().location());
    }

    @Test
    void laterAssignmentReplaces() throws Exception {
        XlConfig c = parse("a = 1\na = [ 'x' ]\na = 'final'");
        assertEquals("final", text(c, "a"));
        assertEquals(3, c.settings().size());
        assertEquals(List.of("a"), c.keys());
    }

    @Test
    void appendConcatenatesStringsAndLists() throws Exception {
        XlConfig c = parse("s = 'ab'\ns += \"cd\"\nl = ['1']\nl += ['2', ['3']]\nn += 'new'");
        assertEquals("abcd", text(c, "s"));
        assertEquals(XlOperation.APPEND, c.find("s").orElseThrow().operation());
        XlList l = (XlList) c.find("l").orElseThrow().value();
        assertEquals(3, l.items().size());
        assertEquals("1", ((XlAtom) l.items().get(0)).text());
        assertInstanceOf(XlList.class, l.items().get(2));
        assertEquals("new", text(c, "n"));
    }

    @Test
    void longAppendChainsCostLinearTime() {
        String text = "s = ''\nl = []\n" + "s += 'x'\nl += [1]\n".repeat(55_000);
        XlConfig c = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> parse(text));
        assertEquals(55_000, text(c, "s").length());
        assertEquals(55_000, ((XlList) c.find("l").orElseThrow().value()).items().size());
        assertEquals(110_002, c.settings().size());
    }

    @Test
    void appendingAListToAStringIsXlsError() {
        XlConfigException e = error("s = 'ab'\ns += ['cd']\n");
        assertEquals("t.cfg:2:6: config parsing error: can't add [list] to \"string\" or vice versa", e.getMessage());
        assertEquals(2, e.line());
        assertEquals(6, e.column());
        error("l = ['x']\nl += 'y'");
    }

    @Test
    void simpleEscapesAreResolved() throws Exception {
        XlConfig c = parse("a = '\\\" \\' \\\\ \\a\\b\\f\\n\\r\\t\\v'\nb = \"it\\'s \\\"q\\\"\"");
        assertEquals("\" ' \\ \u0007\b\f\n\r\t\u000b", text(c, "a"));
        assertEquals("it's \"q\"", text(c, "b"));
    }

    @Test
    void numericEscapesAreBytesOfUtf8() throws Exception {
        XlConfig c = parse("a = '\\x41\\102\\7z\\0101'\nb = '\\xc3\\xa9t\\303\\251'");
        assertEquals("AB\u0007z\u00081", text(c, "a"));
        assertEquals("été", text(c, "b"));
    }

    @Test
    void badEscapesAreLexicalErrorsAtTheBackslash() {
        assertEquals("t.cfg:1:8: config parsing error near `'ab\\q'': invalid character after backslash in quoted string",
                error("a = 'ab\\q'").getMessage());
        assertEquals("t.cfg:1:6: config parsing error near `'\\x4'': invalid digit after backslash hex numerical"
                + " character escape in quoted string", error("a = '\\x4'").getMessage());
        assertEquals("t.cfg:1:6: config parsing error near `'\\400'': octal numerical character escape out of range"
                + " in quoted string", error("a = '\\400'").getMessage());
        assertEquals("t.cfg:1:6: config parsing error near `'a\\0b'': NUL character in quoted string",
                error("a = 'a\\0b'").getMessage());
        assertEquals("t.cfg:1:6: config parsing error near `'\\xff'': quoted string is not valid UTF-8 after its"
                + " escapes", error("a = '\\xff'").getMessage());
    }

    @Test
    void syntaxErrorsNameTheTokenAndWhatWasExpected() {
        assertEquals("t.cfg:1:10: config parsing error near <newline>: syntax error, unexpected NEWLINE,"
                + " expecting STRING or NUMBER or '['", error("memory = \nname='x'\n").getMessage());
        assertEquals("t.cfg:1:8: config parsing error near `x': syntax error, unexpected IDENT, expecting += or '='",
                error("import x\n").getMessage());
        assertEquals("t.cfg:2:1: config parsing error near `'s'': syntax error, unexpected STRING,"
                + " expecting $end or IDENT or NEWLINE or ';'", error("a = 1\n's'\n").getMessage());
        assertEquals("t.cfg:1:7: config parsing error near `2': syntax error, unexpected NUMBER,"
                + " expecting $end or NEWLINE or ';'", error("a = 1 2").getMessage());
        assertEquals("t.cfg:1:10: config parsing error near `'b'': syntax error, unexpected STRING,"
                + " expecting NEWLINE or ']' or ','", error("a = ['a' 'b']").getMessage());
        assertEquals("t.cfg:1:6: config parsing error near `=': syntax error, unexpected '='",
                error("a = [=]").getMessage());
        assertEquals("t.cfg:1:4: config parsing error near <end of file>: syntax error, unexpected $end,"
                + " expecting STRING or NUMBER or '['", error("a =").getMessage());
        assertEquals("t.cfg:1:5: config parsing error near `# c': syntax error, unexpected NEWLINE,"
                + " expecting STRING or NUMBER or '['", error("a = # c\n").getMessage());
        assertEquals("t.cfg:2:1: config parsing error near <end of file>: syntax error, unexpected $end",
                error("a = [# c\n").getMessage());
    }

    @Test
    void lexicalErrorsSwallowTheRestOfTheirWord() {
        XlConfigException e = error("name = \"VM%d\" % vmid\n");
        assertEquals("t.cfg:1:15: config parsing error near `%': lexical error", e.getMessage());
        assertEquals(15, e.column());
        assertEquals("t.cfg:1:1: config parsing error near `Name': lexical error", error("Name = 'x'").getMessage());
        assertEquals("t.cfg:1:5: config parsing error near `'abc': lexical error", error("a = 'abc\nb = 1").getMessage());
        assertEquals("t.cfg:1:6: config parsing error near `\\r': lexical error", error("a = 1\r\n").getMessage());
    }

    @Test
    void errorsOnLaterLinesAreAllReportedButALexicalErrorMutesItsLine() {
        XlConfigException e = error("a = 1 2\nb = ?x y z\nc = 3\nd =\n");
        assertEquals(String.join("\n",
                "t.cfg:1:7: config parsing error near `2': syntax error, unexpected NUMBER, expecting $end or NEWLINE or ';'",
                "t.cfg:2:5: config parsing error near `?x': lexical error",
                "t.cfg:4:4: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['"),
                e.getMessage());
        assertEquals(1, e.line());
    }

    @Test
    void pythonLookingFilesGetXlsWarning() {
        XlConfigException e = error("import os\narch = os.uname()[4]\nname = 'x'\n");
        assertEquals(String.join("\n",
                "t.cfg:1:8: config parsing error near `os': syntax error, unexpected IDENT, expecting += or '='",
                "t.cfg:2:8: config parsing error near `os.uname': syntax error, unexpected IDENT, expecting STRING or NUMBER or '['",
                "t.cfg:2:16: config parsing error near `()[4]': lexical error",
                "warning: Config file looks like it contains Python code.",
                "warning:  Arbitrary Python is no longer supported.",
                "warning:  See https://wiki.xen.org/wiki/PythonInXlConfig"), e.getMessage());
        assertTrue(error("a = 1.5\n").getMessage().endsWith("PythonInXlConfig"));
        assertTrue(error("a = -1\n").getMessage().endsWith("PythonInXlConfig"));
        assertTrue(!error("a = 'x' % 3\n").getMessage().contains("Python"));
    }

    @Test
    void listsNestAtMostSixtyFourDeep() throws Exception {
        parse("a = " + "[".repeat(XlParser.MAX_DEPTH) + "]".repeat(XlParser.MAX_DEPTH));
        XlConfigException e = error("a = " + "[".repeat(XlParser.MAX_DEPTH + 1) + "]".repeat(XlParser.MAX_DEPTH + 1));
        assertEquals("t.cfg:1:69: config parsing error near `[': lists nested more than 64 deep", e.getMessage());
    }

    @Test
    void oversizedSourcesAreRefused() {
        XlConfigException e = error("#".repeat(XlConfigParser.MAX_SOURCE_CHARS + 1));
        assertEquals(0, e.line());
        assertTrue(e.getMessage().startsWith("t.cfg: configuration is too large"));
    }

    @Test
    void overridesFollowTheFileAndMayAppendToIt() throws Exception {
        XlConfig file = parse("name = 'a'\nextra = 'x'\nl = ['1']");
        XlConfig all = XlConfigParser.parse("name = 'b'; extra += 'y'\nl += ['2']", "command line", file);
        assertEquals("b", text(all, "name"));
        assertEquals("xy", text(all, "extra"));
        assertEquals(2, ((XlList) all.find("l").orElseThrow().value()).items().size());
        assertEquals("t.cfg", all.sourceFile());
        assertEquals(new XlLocation("command line", 1, 8), all.find("name").orElseThrow().value().location());
    }
}
