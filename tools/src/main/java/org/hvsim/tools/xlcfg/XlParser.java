package org.hvsim.tools.xlcfg;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The parser of xl's configuration grammar (Xen's {@code libxlu_cfg_y.y}), by recursive descent:
 *
 * <pre>
 *   file       := { NEWLINE | ';' | assignment ( NEWLINE | ';' | end ) }
 *   assignment := IDENT ( '=' | '+=' ) value
 *   value      := STRING | NUMBER | '[' nl* [ value nl* { ',' nl* value nl* } [ ',' nl* ] ] ']'
 * </pre>
 *
 * Lists nest, may hold atoms and lists together and may span lines. Errors are reported as bison
 * reports them ("syntax error, unexpected X, expecting A or B", with no list when more than four
 * tokens would fit) and, as with xl's {@code error NEWLINE} rule, parsing resumes after the next
 * newline so that later errors are found too. Lists nest at most {@value #MAX_DEPTH} deep. Not
 * thread-safe; one source per parser.
 */
final class XlParser {
    static final int MAX_DEPTH = 64;

    private static final Set<XlTokenKind> STATEMENT_START =
            EnumSet.of(XlTokenKind.END, XlTokenKind.IDENT, XlTokenKind.NEWLINE, XlTokenKind.SEMICOLON);
    private static final Set<XlTokenKind> OPERATOR = EnumSet.of(XlTokenKind.APPEND, XlTokenKind.EQUALS);
    private static final Set<XlTokenKind> VALUE_START =
            EnumSet.of(XlTokenKind.STRING, XlTokenKind.NUMBER, XlTokenKind.LBRACKET);
    private static final Set<XlTokenKind> STATEMENT_END =
            EnumSet.of(XlTokenKind.END, XlTokenKind.NEWLINE, XlTokenKind.SEMICOLON);
    private static final Set<XlTokenKind> LIST_ITEM_START = EnumSet.of(XlTokenKind.STRING,
            XlTokenKind.NUMBER, XlTokenKind.NEWLINE, XlTokenKind.LBRACKET, XlTokenKind.RBRACKET);
    private static final Set<XlTokenKind> AFTER_LIST_ITEM =
            EnumSet.of(XlTokenKind.NEWLINE, XlTokenKind.RBRACKET, XlTokenKind.COMMA);

    private final XlLexer lexer;
    private final XlDiagnostics diagnostics;
    private final XlSettingsBuilder settings;
    private XlToken lookahead;

    XlParser(XlLexer lexer, XlDiagnostics diagnostics, XlSettingsBuilder settings) {
        this.lexer = lexer;
        this.diagnostics = diagnostics;
        this.settings = settings;
        this.lookahead = lexer.next();
    }

    /** Parses the whole source, storing each assignment into the settings as it completes. */
    void parseFile() {
        while (lookahead.kind() != XlTokenKind.END) {
            try {
                statement();
            } catch (SyntaxError e) {
                recover();
            }
        }
    }

    private void statement() {
        switch (lookahead.kind()) {
            case NEWLINE, SEMICOLON -> advance();
            case IDENT -> assignment();
            default -> throw unexpected(STATEMENT_START);
        }
    }

    private void assignment() {
        XlToken key = advance();
        if (!OPERATOR.contains(lookahead.kind())) {
            throw unexpected(OPERATOR);
        }
        XlOperation operation = advance().kind() == XlTokenKind.APPEND ? XlOperation.APPEND : XlOperation.ASSIGN;
        XlValue value = value(0);
        if (!STATEMENT_END.contains(lookahead.kind())) {
            throw unexpected(STATEMENT_END);
        }
        if (lookahead.kind() != XlTokenKind.END) {
            advance();
        }
        settings.store(key.value(), operation, value, key.location(), diagnostics);
    }

    private XlValue value(int depth) {
        XlToken token = lookahead;
        switch (token.kind()) {
            case STRING, NUMBER -> {
                advance();
                return new XlAtom(token.value(), token.location());
            }
            case LBRACKET -> {
                return list(depth + 1);
            }
            default -> throw unexpected(VALUE_START);
        }
    }

    private XlList list(int depth) {
        XlToken open = advance();
        if (depth > MAX_DEPTH) {
            diagnostics.syntaxError(open.location(), open.text(),
                    "lists nested more than " + MAX_DEPTH + " deep");
            throw new SyntaxError();
        }
        List<XlValue> items = new ArrayList<>();
        skipNewlines();
        while (lookahead.kind() != XlTokenKind.RBRACKET) {
            if (!VALUE_START.contains(lookahead.kind())) {
                throw unexpected(LIST_ITEM_START);
            }
            items.add(value(depth));
            skipNewlines();
            if (lookahead.kind() == XlTokenKind.COMMA) {
                advance();
                skipNewlines();
            } else if (lookahead.kind() != XlTokenKind.RBRACKET) {
                throw unexpected(AFTER_LIST_ITEM);
            }
        }
        advance();
        return new XlList(items, open.location());
    }

    private void skipNewlines() {
        while (lookahead.kind() == XlTokenKind.NEWLINE) {
            advance();
        }
    }

    /** xl's {@code error NEWLINE}: drop tokens up to and including the next newline. */
    private void recover() {
        while (lookahead.kind() != XlTokenKind.END && lookahead.kind() != XlTokenKind.NEWLINE) {
            advance();
        }
        if (lookahead.kind() == XlTokenKind.NEWLINE) {
            advance();
        }
    }

    private XlToken advance() {
        XlToken current = lookahead;
        if (current.kind() != XlTokenKind.END) {
            lookahead = lexer.next();
        }
        return current;
    }

    private SyntaxError unexpected(Set<XlTokenKind> expected) {
        StringBuilder what = new StringBuilder("syntax error, unexpected ")
                .append(lookahead.kind().displayName());
        if (expected.size() <= 4) {
            StringJoiner list = new StringJoiner(" or ", ", expecting ", "");
            for (XlTokenKind kind : expected) {
                list.add(kind.displayName());
            }
            what.append(list);
        }
        diagnostics.syntaxError(lookahead.location(), lookahead.text(), what.toString());
        return new SyntaxError();
    }

    /** Unwinds to the statement loop after an error has been reported. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxError() {
            super(null, null, false, false);
        }
    }
}
