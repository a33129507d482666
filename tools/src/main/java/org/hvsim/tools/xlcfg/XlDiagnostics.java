package org.hvsim.tools.xlcfg;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the errors of one parse the way xl reports them: one line each,
 * {@code <file>:<line>:<column>: config parsing error near `<token>': <what>}, where xl prints the line
 * only and hvsim adds the column. As in xl, once a lexical error was reported on a line, later errors
 * on that line or before it are not reported, and if the lexer saw Python-looking characters the
 * report ends with xl's three-line warning. The number of lines kept is bounded. Not thread-safe.
 */
final class XlDiagnostics {
    static final String PYTHON_WARNING = """
            warning: Config file looks like it contains Python code.
            warning:  Arbitrary Python is no longer supported.
            warning:  See https://wiki.xen.org/wiki/PythonInXlConfig""";

    private static final int MAX_REPORTED = 20;

    private final List<String> lines = new ArrayList<>();
    private XlLocation first;
    private int suppressed;
    private int lexicalErrorLine = -1;
    private boolean likelyPython;

    /** A lexical error (a character outside the grammar, a bad escape): reported, then the line is muted. */
    void lexicalError(XlLocation location, String near, String what) {
        report(location, near, what);
        lexicalErrorLine = Math.max(lexicalErrorLine, location.line());
    }

    /** A syntax error at a token. */
    void syntaxError(XlLocation location, String near, String what) {
        report(location, near, what);
    }

    /** An error about a value rather than a token, such as appending a list to a string. */
    void valueError(XlLocation location, String what) {
        if (location.line() <= lexicalErrorLine) {
            return;
        }
        add(location, location.prefix() + ": config parsing error: " + what);
    }

    void sawPythonCharacter() {
        likelyPython = true;
    }

    boolean likelyPython() {
        return likelyPython;
    }

    boolean hasErrors() {
        return first != null;
    }

    /** The exception describing every reported error; only valid when {@link #hasErrors()}. */
    XlConfigException toException() {
        StringBuilder message = new StringBuilder(String.join("\n", lines));
        if (suppressed > 0) {
            message.append('\n').append(first.file()).append(": ").append(suppressed)
                    .append(" further error(s) not shown");
        }
        if (likelyPython) {
            message.append('\n').append(PYTHON_WARNING);
        }
        return new XlConfigException(first, message.toString());
    }

    private void report(XlLocation location, String near, String what) {
        if (location.line() <= lexicalErrorLine) {
            return;
        }
        add(location, location.prefix() + ": config parsing error near " + near(near) + ": " + what);
    }

    private void add(XlLocation location, String line) {
        if (first == null) {
            first = location;
        }
        if (lines.size() < MAX_REPORTED) {
            lines.add(line);
        } else {
            suppressed++;
        }
    }

    /**
     * The "near" part as xl shows it: the token text without its trailing newline and blanks, in
     * backquote-quote, or {@code <newline>} for a bare newline, made {@link XlText#printable printable}.
     */
    static String near(String raw) {
        if (raw == null) {
            return "<end of file>";
        }
        String text = raw;
        boolean bareNewline = false;
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
            bareNewline = text.isEmpty();
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        text = text.substring(0, end);
        if (text.isEmpty()) {
            return bareNewline ? "<newline>" : "``";
        }
        return "`" + XlText.printable(text) + "'";
    }
}
