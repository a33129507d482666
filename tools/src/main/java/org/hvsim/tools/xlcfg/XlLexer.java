package org.hvsim.tools.xlcfg;

/**
 * The lexer of xl's configuration grammar (the rules of Xen's {@code libxlu_cfg_l.l}):
 * identifiers {@code [a-z][._0-9a-z]*}, number tokens {@code [0-9][0-9a-fx]*} kept as text,
 * strings in single or double quotes with backslash escapes and no raw newline, {@code += = ; [ ] ,},
 * newlines, and {@code #} comments, which end in the newline they run to. Blanks are spaces and tabs.
 *
 * <p>Any other character starts a lexical error that, as in xl, swallows the rest of its run of
 * non-blank characters (or the one blank or newline after it) and produces no token; a newline
 * swallowed this way still ends the statement. If such a run starts with one of {@code + - . ( ) :}
 * the source is flagged as likely Python. Unlike xl, an error right before the end of the input is
 * reported too, and a comment on the last line needs no newline. Not thread-safe; one source per lexer.
 */
final class XlLexer {
    private static final String PYTHON_CHARACTERS = "+-.():";

    private final String text;
    private final String file;
    private final XlDiagnostics diagnostics;
    private int pos;
    private int line = 1;
    private int column = 1;

    XlLexer(String text, String file, XlDiagnostics diagnostics) {
        this.text = text;
        this.file = file;
        this.diagnostics = diagnostics;
    }

    /** The next token; {@link XlTokenKind#END} at the end of the input, and again after that. */
    XlToken next() {
        while (true) {
            if (pos >= text.length()) {
                return token(XlTokenKind.END, null, null, here());
            }
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t') {
                advance();
                continue;
            }
            XlLocation start = here();
            int from = pos;
            if (c == '\n') {
                advance();
                return token(XlTokenKind.NEWLINE, "\n", null, start);
            }
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    advance();
                }
                if (pos >= text.length()) {
                    continue;
                }
                advance();
                return token(XlTokenKind.NEWLINE, text.substring(from, pos), null, start);
            }
            if (c >= 'a' && c <= 'z') {
                advanceWhile("._0123456789abcdefghijklmnopqrstuvwxyz");
                String ident = text.substring(from, pos);
                return token(XlTokenKind.IDENT, ident, ident, start);
            }
            if (c >= '0' && c <= '9') {
                advanceWhile("0123456789abcdefx");
                String number = text.substring(from, pos);
                return token(XlTokenKind.NUMBER, number, number, start);
            }
            switch (c) {
                case ',' -> { advance(); return token(XlTokenKind.COMMA, ",", null, start); }
                case '[' -> { advance(); return token(XlTokenKind.LBRACKET, "[", null, start); }
                case ']' -> { advance(); return token(XlTokenKind.RBRACKET, "]", null, start); }
                case '=' -> { advance(); return token(XlTokenKind.EQUALS, "=", null, start); }
                case ';' -> { advance(); return token(XlTokenKind.SEMICOLON, ";", null, start); }
                default -> { }
            }
            if (c == '+' && pos + 1 < text.length() && text.charAt(pos + 1) == '=') {
                advance();
                advance();
                return token(XlTokenKind.APPEND, "+=", null, start);
            }
            if ((c == '\'' || c == '"') && quotedStringEnd(pos) > 0) {
                int end = quotedStringEnd(pos);
                while (pos < end) {
                    advance();
                }
                String raw = text.substring(from, pos);
                String value = XlStringEscapes.unquote(raw, start, diagnostics);
                return token(XlTokenKind.STRING, raw, value, start);
            }
            XlToken swallowedNewline = lexicalError(start);
            if (swallowedNewline != null) {
                return swallowedNewline;
            }
        }
    }

    /**
     * Reports the run starting at a bad character and skips it; returns the NEWLINE token when the run
     * ended by swallowing a newline, as xl's lexer returns one in that case.
     */
    private XlToken lexicalError(XlLocation start) {
        int from = pos;
        char bad = text.charAt(pos);
        if (PYTHON_CHARACTERS.indexOf(bad) >= 0) {
            diagnostics.sawPythonCharacter();
        }
        advance();
        boolean newline = false;
        if (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            advance();
        } else if (pos < text.length() && text.charAt(pos) == '\n') {
            newline = true;
        } else {
            while (pos < text.length() && " \t\n".indexOf(text.charAt(pos)) < 0) {
                advance();
            }
        }
        diagnostics.lexicalError(start, text.substring(from, pos), "lexical error");
        if (newline) {
            XlLocation at = here();
            advance();
            return token(XlTokenKind.NEWLINE, "\n", null, at);
        }
        return null;
    }

    /** The index just past the closing quote of a well-formed string starting at {@code at}, or -1. */
    private int quotedStringEnd(int at) {
        char quote = text.charAt(at);
        int i = at + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == quote) {
                return i + 1;
            }
            if (c == '\n') {
                return -1;
            }
            if (c == '\\') {
                if (i + 1 >= text.length() || text.charAt(i + 1) == '\n') {
                    return -1;
                }
                i += 2;
                continue;
            }
            i++;
        }
        return -1;
    }

    private void advanceWhile(String allowed) {
        while (pos < text.length() && allowed.indexOf(text.charAt(pos)) >= 0) {
            advance();
        }
    }

    private void advance() {
        char c = text.charAt(pos);
        pos++;
        if (c == '\n') {
            line++;
            column = 1;
        } else if (!Character.isHighSurrogate(c) || pos >= text.length()
                || !Character.isLowSurrogate(text.charAt(pos))) {
            column++;
        }
    }

    private XlLocation here() {
        return new XlLocation(file, line, column);
    }

    private static XlToken token(XlTokenKind kind, String raw, String value, XlLocation location) {
        return new XlToken(kind, raw, value, location);
    }
}
